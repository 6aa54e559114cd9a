import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bootstrapAdmin } from '../../src/auth/bootstrap.js';
import { api, build, createUser, spawnProcess, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

const silent = pino({ level: 'silent' });
const usernames = async () => (await ctx.db.query<{ username: string }>('SELECT username FROM users ORDER BY username')).rows.map((r) => r.username);

describe('bootstrap admin', () => {
  it('a process started with ADMIN_USERNAME/ADMIN_PASSWORD on a system with no user creates that admin', async () => {
    expect(await usernames()).toEqual([]);
    const child = await spawnProcess(ctx, ['api'], { ADMIN_USERNAME: 'chief', ADMIN_PASSWORD: 'chief-password' });
    try {
      const login = await api({ url: child.url })('POST', '/v1/auth/login', { body: { username: 'chief', password: 'chief-password' } });
      expect(login.status).toBe(200);
      expect(login.body.user).toMatchObject({ username: 'chief', role: 'admin', unitId: null });
    } finally {
      expect(await child.stop()).toBe(0);
    }
  });

  it('creates the admin with a scrypt hash when the users table is empty', async () => {
    await ctx.db.query('DELETE FROM users');
    await bootstrapAdmin(ctx.db, { username: 'root', password: 'root-password' }, silent);
    const { rows } = await ctx.db.query('SELECT role, unit_id, password_hash FROM users WHERE username = $1', ['root']);
    expect(rows).toEqual([{ role: 'admin', unit_id: null, password_hash: expect.stringMatching(/^scrypt\$/) }]);
  });

  it('creates no admin when any user already exists', async () => {
    await createUser(ctx, 'operator');
    const before = await usernames();
    await bootstrapAdmin(ctx.db, { username: 'intruder', password: 'intruder-password' }, silent);
    expect(await usernames()).toEqual(before);
  });

  it('creates nobody when no admin is configured', async () => {
    await ctx.db.query('DELETE FROM users');
    await bootstrapAdmin(ctx.db, null, silent);
    expect(await usernames()).toEqual([]);
  });
});
