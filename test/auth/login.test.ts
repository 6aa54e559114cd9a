import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

function claims(token: string): Record<string, unknown> {
  const [header, payload] = token.split('.').slice(0, 2).map((part) => JSON.parse(Buffer.from(part, 'base64url').toString()));
  return { ...payload, alg: header.alg };
}

describe('POST /v1/auth/login', () => {
  it('answers a token and the user for the right password', async () => {
    const operator = await createUser(ctx, 'operator');
    const response = await api(ctx)('POST', '/v1/auth/login', { body: { username: operator.username, password: operator.password } });
    expect(response.status).toBe(200);
    expect(response.body.user).toEqual({ id: operator.id, username: operator.username, role: 'operator', unitId: null });
    const units = await api(ctx)('GET', '/v1/units', { token: response.body.token });
    expect(units.status).toBe(200);
  });

  it('issues an HS256 token that expires after 12 hours', async () => {
    const admin = await createUser(ctx, 'admin');
    const { body } = await api(ctx)('POST', '/v1/auth/login', { body: { username: admin.username, password: admin.password } });
    const token = claims(body.token);
    expect(token).toMatchObject({ alg: 'HS256', sub: admin.id, role: 'admin' });
    expect(Number(token.exp) - Number(token.iat)).toBe(12 * 3600);
  });

  it('gives the same 401 for an unknown user and for a wrong password', async () => {
    const operator = await createUser(ctx, 'operator');
    const call = api(ctx);
    const wrongPassword = await call('POST', '/v1/auth/login', { body: { username: operator.username, password: 'not-the-password' } });
    const unknownUser = await call('POST', '/v1/auth/login', { body: { username: 'nobody-here', password: operator.password } });
    expect(wrongPassword.status).toBe(401);
    expect(wrongPassword.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(wrongPassword.body).toMatchObject({ status: 401, code: 'unauthorized' });
    expect(unknownUser.status).toBe(401);
    expect(unknownUser.body).toEqual(wrongPassword.body);
  });
});
