import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

const TABLES = ['units', 'users', 'tickets', 'assignments', 'ticket_events', 'events', 'idempotency_keys'];

async function counts(): Promise<Record<string, number>> {
  const entries = await Promise.all(TABLES.map(async (table) => {
    const { rows } = await ctx.db.query<{ n: number }>(`SELECT count(*)::int AS n FROM ${table}`);
    return [table, rows[0]!.n] as const;
  }));
  return Object.fromEntries(entries);
}

describe('rejected input', () => {
  it('changes no row in any table', async () => {
    const admin = await createUser(ctx, 'admin');
    const operator = await createUser(ctx, 'operator');
    const unit = (await api(ctx)('POST', '/v1/units', { token: admin.token, body: { callsign: 'KEEP-1', type: 'gas' } })).body;
    const before = await counts();
    const call = api(ctx);
    const ticket = { caller: { phone: '13800000000' }, location: { lat: 34.7, lon: 113.6 }, description: 'gas smell in the kitchen' };
    const rejected = await Promise.all([
      call('POST', '/v1/tickets', { token: operator.token, body: '{"caller":' }),
      call('POST', '/v1/tickets', { token: operator.token, body: { ...ticket, description: '' } }),
      call('POST', '/v1/tickets', { token: operator.token, body: { ...ticket, priority: 'P0' } }),
      call('POST', '/v1/tickets', { token: operator.token, body: { ...ticket, description: 'x'.repeat(70 * 1024) } }),
      call('POST', '/v1/tickets', { token: operator.token, body: JSON.stringify(ticket), headers: { 'content-type': 'text/plain' } }),
      call('POST', '/v1/tickets', { token: admin.token, body: ticket }),
      call('POST', '/v1/tickets', { body: ticket }),
      call('POST', '/v1/units', { token: admin.token, body: { callsign: 'KEEP-1', type: 'water' } }),
      call('POST', '/v1/users', { token: admin.token, body: { username: 'short-pass', password: '1234567', role: 'operator' } }),
      call('PUT', `/v1/units/${unit.id}/status`, { token: admin.token, body: { status: 'busy' } }),
      call('PUT', `/v1/units/${unit.id}/location`, { token: admin.token, body: { lat: 'north', lon: 0 } }),
    ]);
    expect(rejected.map((r) => r.status)).toEqual([400, 400, 400, 413, 415, 403, 401, 409, 400, 400, 400]);
    expect(await counts()).toEqual(before);
    expect((await ctx.db.query('SELECT status, lat FROM units WHERE id = $1', [unit.id])).rows).toEqual([{ status: 'off_duty', lat: null }]);
  });
});
