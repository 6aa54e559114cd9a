import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
let adminToken: string;
beforeAll(async () => {
  ctx = await build();
  adminToken = (await createUser(ctx, 'admin')).token;
});
afterAll(async () => { await ctx?.close(); });

const fresh = (name: string) => `${name}-${randomBytes(3).toString('hex')}`;

async function newUnit(): Promise<string> {
  const { body } = await api(ctx)('POST', '/v1/units', { token: adminToken, body: { callsign: fresh('U'), type: 'police' } });
  return body.id;
}

const createAsAdmin = (body: object) => api(ctx)('POST', '/v1/users', { token: adminToken, body });

describe('POST /v1/users', () => {
  it('creates a user who can log in, and never answers the password or its hash', async () => {
    const username = fresh('op');
    const response = await createAsAdmin({ username, password: 'long-enough-1', role: 'operator' });
    expect(response.status).toBe(201);
    expect(response.body).toEqual({ id: expect.any(String), username, role: 'operator', unitId: null });
    expect(JSON.stringify(response.body)).not.toMatch(/long-enough-1|scrypt|password/i);
    const login = await api(ctx)('POST', '/v1/auth/login', { body: { username, password: 'long-enough-1' } });
    expect(login.status).toBe(200);
    expect(login.body.user.id).toBe(response.body.id);
  });

  it('stores the password as a salted scrypt hash, not as text', async () => {
    const created = await createAsAdmin({ username: fresh('sup'), password: 'long-enough-2', role: 'supervisor' });
    const twin = await createAsAdmin({ username: fresh('sup'), password: 'long-enough-2', role: 'supervisor' });
    const { rows } = await ctx.db.query<{ password_hash: string }>(
      'SELECT password_hash FROM users WHERE id = ANY($1::uuid[]) ORDER BY username', [[created.body.id, twin.body.id]]);
    for (const { password_hash: hash } of rows) {
      expect(hash).toMatch(/^scrypt\$/);
      expect(hash).not.toContain('long-enough-2');
    }
    expect(rows[0]!.password_hash).not.toBe(rows[1]!.password_hash);
  });

  it('refuses a taken username with 409 conflict', async () => {
    const username = fresh('dup');
    expect((await createAsAdmin({ username, password: 'long-enough-3', role: 'operator' })).status).toBe(201);
    const again = await createAsAdmin({ username, password: 'other-password', role: 'dispatcher' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
  });

  it('refuses a password shorter than 8 characters with 400 naming the field', async () => {
    const response = await createAsAdmin({ username: fresh('short'), password: 'short12', role: 'operator' });
    expect(response.status).toBe(400);
    expect(response.body.code).toBe('validation_failed');
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(['body/password']);
  });

  it('creates a responder with its unit', async () => {
    const unitId = await newUnit();
    const response = await createAsAdmin({ username: fresh('resp'), password: 'long-enough-4', role: 'responder', unitId });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ role: 'responder', unitId });
  });

  it.each([
    ['a responder without a unit', () => ({ role: 'responder' })],
    ['an operator with a unit', async () => ({ role: 'operator', unitId: await newUnit() })],
    ['a responder of a unit that does not exist', () => ({ role: 'responder', unitId: '00000000-0000-4000-8000-000000000000' })],
  ])('refuses %s with 400 on body/unitId, creating nothing', async (_name, extra) => {
    const username = fresh('bad');
    const response = await createAsAdmin({ username, password: 'long-enough-5', ...(await extra()) });
    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([{ path: 'body/unitId', message: expect.any(String) }]);
    const { rowCount } = await ctx.db.query('SELECT 1 FROM users WHERE username = $1', [username]);
    expect(rowCount).toBe(0);
  });

  it('is refused to every role but admin', async () => {
    for (const role of ['operator', 'dispatcher', 'supervisor'] as const) {
      const user = await createUser(ctx, role);
      const response = await api(ctx)('POST', '/v1/users', { token: user.token, body: { username: fresh('x'), password: 'long-enough-6', role: 'admin' } });
      expect(response.status).toBe(403);
    }
  });
});
