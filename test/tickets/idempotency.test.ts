import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type Api, type TestContext } from '../helper.js';
import { GAS_SMELL, countRows, newCall } from './support.js';

let ctx: TestContext;
let call: Api;
let token: string;

beforeAll(async () => {
  ctx = await build();
  call = api(ctx);
  token = (await createUser(ctx, 'operator')).token;
});
afterAll(async () => { await ctx?.close(); });

const post = (body: unknown, key: string) => call('POST', '/v1/tickets', { token, body, headers: { 'idempotency-key': key } });

async function ticketsWithDescription(description: string): Promise<number> {
  const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets WHERE description = $1', [description]);
  return rows[0]!.n;
}

describe('Idempotency-Key', () => {
  it('the same key with the same body returns the original ticket with 200 and Idempotent-Replayed: true', async () => {
    const key = randomUUID();
    const body = newCall(`${GAS_SMELL} (${key})`);
    const first = await post(body, key);
    expect(first.status).toBe(201);
    expect(first.headers.get('idempotent-replayed')).toBeNull();
    const again = await post(body, key);
    expect(again.status).toBe(200);
    expect(again.headers.get('idempotent-replayed')).toBe('true');
    expect(again.body).toMatchObject({ id: first.body.id, number: first.body.number, createdAt: first.body.createdAt });
    expect(await ticketsWithDescription(body.description)).toBe(1);
    const { rows } = await ctx.db.query("SELECT 1 FROM events WHERE type = 'ticket.created' AND data->>'id' = $1", [first.body.id]);
    expect(rows).toHaveLength(1);
  });

  it('the same body with its fields in another order is the same request', async () => {
    const key = randomUUID();
    const body = newCall(`${GAS_SMELL} (${key})`, { category: 'gas' });
    const first = await post(body, key);
    const { category, description, location, caller } = body;
    const reordered = { category, location: { lon: location.lon, lat: location.lat }, description, caller };
    const again = await post(reordered, key);
    expect(again.status).toBe(200);
    expect(again.body.id).toBe(first.body.id);
  });

  it('the same key with another body is refused with 422 idempotency_key_reused and creates nothing', async () => {
    const key = randomUUID();
    const body = newCall(`${GAS_SMELL} (${key})`);
    expect((await post(body, key)).status).toBe(201);
    const before = await countRows(ctx, 'tickets');
    const other = await post({ ...body, description: `${body.description}, and smoke` }, key);
    expect(other.status).toBe(422);
    expect(other.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(other.body).toMatchObject({ status: 422, code: 'idempotency_key_reused' });
    expect(await countRows(ctx, 'tickets')).toBe(before);
  });

  it('ten concurrent identical requests make exactly one ticket and all answer with its id', async () => {
    const key = randomUUID();
    const body = newCall(`${GAS_SMELL} (${key})`);
    const answers = await Promise.all(Array.from({ length: 10 }, () => post(body, key)));
    expect(answers.map((a) => a.status).sort()).toEqual([200, 200, 200, 200, 200, 200, 200, 200, 200, 201]);
    const ids = new Set(answers.map((a) => a.body.id));
    expect(ids.size).toBe(1);
    expect(await ticketsWithDescription(body.description)).toBe(1);
    const { rows } = await ctx.db.query<{ id: string }>('SELECT id FROM tickets WHERE description = $1', [body.description]);
    expect(ids.has(rows[0]!.id)).toBe(true);
  });

  it('two concurrent requests with one key and different bodies: one ticket, the other 422', async () => {
    const key = randomUUID();
    const bodies = [newCall(`${GAS_SMELL} (${key}) a`), newCall(`${GAS_SMELL} (${key}) b`)];
    const answers = await Promise.all(bodies.map((body) => post(body, key)));
    expect(answers.map((a) => a.status).sort()).toEqual([201, 422]);
    const { rows } = await ctx.db.query<{ n: number }>('SELECT count(*)::int AS n FROM tickets WHERE description LIKE $1', [`%(${key})%`]);
    expect(rows[0]!.n).toBe(1);
  });

  it('a key is honoured for 24 hours and free again after', async () => {
    const key = randomUUID();
    const body = newCall(`${GAS_SMELL} (${key})`);
    const first = await post(body, key);
    // No clock to move: age the key's row instead.
    const age = (hours: number) => ctx.db.query(
      `UPDATE idempotency_keys SET created_at = now() - make_interval(hours => $2) WHERE key = $1`, [key, hours]);
    await age(23);
    const within = await post(body, key);
    expect(within.status).toBe(200);
    expect(within.body.id).toBe(first.body.id);
    await age(25);
    const after = await post(body, key);
    expect(after.status).toBe(201);
    expect(after.body.id).not.toBe(first.body.id);
    expect((await post(body, key)).body.id).toBe(after.body.id);
  });

  it('different keys with the same body make different tickets', async () => {
    const body = newCall(`${GAS_SMELL} (${randomUUID()})`);
    const [a, b] = [await post(body, randomUUID()), await post(body, randomUUID())];
    expect([a.status, b.status]).toEqual([201, 201]);
    expect(a.body.id).not.toBe(b.body.id);
  });

  it('a key of 200 characters is accepted; 201 characters or an empty key is refused with 400 and creates nothing', async () => {
    expect((await post(newCall(GAS_SMELL), 'k'.repeat(200))).status).toBe(201);
    const before = await countRows(ctx, 'tickets');
    const keysBefore = await countRows(ctx, 'idempotency_keys');
    for (const key of ['k'.repeat(201), '']) {
      const refused = await post(newCall(GAS_SMELL), key);
      expect(refused.status, `key of ${key.length}`).toBe(400);
      expect(refused.body.code).toBe('validation_failed');
    }
    expect(await countRows(ctx, 'tickets')).toBe(before);
    expect(await countRows(ctx, 'idempotency_keys')).toBe(keysBefore);
  });
});
