import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { JWT_SECRET, api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

const encode = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');

/** A JWT made by hand, so each test controls exactly one thing that is wrong with it. */
function forge(header: object, payload: object, sign: (input: string) => string): string {
  const input = `${encode(header)}.${encode(payload)}`;
  return `${input}.${sign(input)}`;
}

const hmac = (algorithm: string, secret: string) => (input: string) => createHmac(algorithm, secret).update(input).digest('base64url');

async function claimsOf(role: 'admin' | 'operator') {
  const user = await createUser(ctx, role);
  const now = Math.floor(Date.now() / 1000);
  return { sub: user.id, username: user.username, role, unitId: null, iat: now, exp: now + 3600 };
}

describe('bearer tokens', () => {
  it('a token forged the same way with the right secret is accepted', async () => {
    // Proves the forging below is faithful, so each refusal is due to the one thing changed.
    const token = forge({ alg: 'HS256', typ: 'JWT' }, await claimsOf('admin'), hmac('sha256', JWT_SECRET));
    expect((await api(ctx)('GET', '/v1/units', { token })).status).toBe(200);
  });

  it.each([
    ['signed with another secret', { alg: 'HS256', typ: 'JWT' }, hmac('sha256', 'another-secret-another-secret-0123456789')],
    ['signed with another algorithm (HS512)', { alg: 'HS512', typ: 'JWT' }, hmac('sha512', JWT_SECRET)],
    ['of algorithm "none"', { alg: 'none', typ: 'JWT' }, () => ''],
  ])('a token %s is refused with 401', async (_name, header, sign) => {
    const token = forge(header, await claimsOf('admin'), sign);
    const response = await api(ctx)('GET', '/v1/units', { token });
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('unauthorized');
  });

  it('an expired token is refused with 401', async () => {
    const claims = { ...(await claimsOf('admin')), exp: Math.floor(Date.now() / 1000) - 60 };
    const response = await api(ctx)('GET', '/v1/units', { token: forge({ alg: 'HS256', typ: 'JWT' }, claims, hmac('sha256', JWT_SECRET)) });
    expect(response.status).toBe(401);
  });

  it('a token whose role was edited after signing is refused with 401', async () => {
    const genuine = forge({ alg: 'HS256', typ: 'JWT' }, await claimsOf('operator'), hmac('sha256', JWT_SECRET));
    const [header, payload, signature] = genuine.split('.');
    const elevated = { ...JSON.parse(Buffer.from(payload!, 'base64url').toString()), role: 'admin' };
    const response = await api(ctx)('POST', '/v1/units', {
      token: `${header}.${encode(elevated)}.${signature}`, body: { callsign: 'FORGED-1', type: 'police' },
    });
    expect(response.status).toBe(401);
  });

  it('a request with no token or a malformed header is refused with 401', async () => {
    const call = api(ctx);
    expect((await call('GET', '/v1/units')).status).toBe(401);
    expect((await call('GET', '/v1/units', { headers: { authorization: 'Basic abc' } })).status).toBe(401);
    expect((await call('GET', '/v1/units', { token: 'not.a.jwt' })).status).toBe(401);
  });
});
