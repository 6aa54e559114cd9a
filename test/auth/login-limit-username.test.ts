import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

// src/auth/routes.ts: 10 attempts per username a minute.
const PER_USERNAME = 10;

describe('login rate limit per username', () => {
  it('after 10 attempts on one username even the right password gets 429, while other users still log in', async () => {
    const call = api(ctx);
    const target = await createUser(ctx, 'dispatcher');
    const bystander = await createUser(ctx, 'operator');
    for (let attempt = 1; attempt <= PER_USERNAME; attempt++) {
      const guess = await call('POST', '/v1/auth/login', { body: { username: target.username, password: `guess-${attempt}` } });
      expect(guess.status).toBe(401);
    }
    const limited = await call('POST', '/v1/auth/login', { body: { username: target.username, password: target.password } });
    expect(limited.status).toBe(429);
    expect(limited.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(limited.body).toMatchObject({ status: 429, code: 'rate_limited', title: 'Too Many Requests' });
    expect(Number(limited.headers.get('retry-after'))).toBeGreaterThan(0);
    const other = await call('POST', '/v1/auth/login', { body: { username: bystander.username, password: bystander.password } });
    expect(other.status).toBe(200);
  });
});
