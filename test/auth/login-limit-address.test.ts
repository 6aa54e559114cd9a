import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

// src/auth/routes.ts: 30 attempts per address a minute, whatever the usernames.
const PER_ADDRESS = 30;

describe('login rate limit per address', () => {
  it('after 30 attempts from one address, spread over usernames, a valid login from it gets 429', async () => {
    const call = api(ctx);
    const user = await createUser(ctx, 'operator');
    for (let attempt = 1; attempt <= PER_ADDRESS; attempt++) {
      const guess = await call('POST', '/v1/auth/login', { body: { username: `spray-${attempt}`, password: 'password-123' } });
      expect(guess.status).toBe(401);
    }
    const limited = await call('POST', '/v1/auth/login', { body: { username: user.username, password: user.password } });
    expect(limited.status).toBe(429);
    expect(limited.body.code).toBe('rate_limited');
  });
});
