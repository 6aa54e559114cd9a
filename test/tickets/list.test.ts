import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type Api, type TestContext } from '../helper.js';
import { newCall, type User } from './support.js';

let ctx: TestContext;
let call: Api;
let operator: User;
/** Ids in creation order: oldest first. */
const created: string[] = [];
type Listed = { category: string; priority: string; status: string };
const byId = new Map<string, Listed>();

const SETS = [
  ['water', 'P1'], ['water', 'P2'], ['gas', 'P1'], ['police', 'P3'], ['water', 'P1'],
  ['power', 'P2'], ['gas', 'P3'], ['water', 'P3'], ['police', 'P1'], ['water', 'P1'],
] as const;

beforeAll(async () => {
  ctx = await build();
  call = api(ctx);
  operator = await createUser(ctx, 'operator');
  const dispatcher = await createUser(ctx, 'dispatcher');
  // One after another, so creation order is unambiguous.
  for (const [category, priority] of SETS) {
    const answer = await call('POST', '/v1/tickets', { token: operator.token, body: newCall('a call', { category, priority }) });
    created.push(answer.body.id);
    byId.set(answer.body.id, { category, priority, status: 'queued' });
  }
  for (const id of [created[1]!, created[4]!]) {
    await call('POST', `/v1/tickets/${id}/cancel`, { token: dispatcher.token, body: { reason: 'duplicate call' } });
    byId.get(id)!.status = 'cancelled';
  }
});
afterAll(async () => { await ctx?.close(); });

async function list(query: string, token = operator.token) {
  return call('GET', `/v1/tickets${query}`, { token });
}

/** Follows nextCursor to the end; returns every id in the order served. */
async function walk(query: string, from: string | null = null): Promise<string[]> {
  const ids: string[] = [];
  let cursor = from;
  do {
    const page: Awaited<ReturnType<typeof list>> = await list(`${query}${cursor ? `&cursor=${encodeURIComponent(cursor)}` : ''}`);
    expect(page.status).toBe(200);
    ids.push(...page.body.items.map((t: { id: string }) => t.id));
    cursor = page.body.nextCursor;
  } while (cursor);
  return ids;
}

const newestFirst = (ids: string[]) => [...ids].reverse();

describe('listing tickets', () => {
  it('lists every ticket, newest first, with nextCursor null on the only page', async () => {
    const page = await list('');
    expect(page.status).toBe(200);
    expect(page.body.items.map((t: { id: string }) => t.id)).toEqual(newestFirst(created));
    expect(page.body.nextCursor).toBeNull();
    expect(page.body.items[0]).toMatchObject({ id: created.at(-1), number: expect.any(String), sla: expect.any(Object) });
  });

  it.each<[string, (t: Listed) => boolean]>([
    ['status=cancelled', (t) => t.status === 'cancelled'],
    ['status=queued', (t) => t.status === 'queued'],
    ['category=water', (t) => t.category === 'water'],
    ['priority=P1', (t) => t.priority === 'P1'],
    ['category=water&priority=P1&status=queued', (t) => t.category === 'water' && t.priority === 'P1' && t.status === 'queued'],
    ['category=heating', () => false],
  ])('filters by %s', async (query, keep) => {
    const expected = newestFirst(created.filter((id) => keep(byId.get(id)!)));
    const page = await list(`?${query}`);
    expect(page.status).toBe(200);
    expect(page.body.items.map((t: { id: string }) => t.id)).toEqual(expected);
    for (const ticket of page.body.items) expect(keep(ticket)).toBe(true);
  });

  it('walking pages of 3 yields every ticket exactly once, newest first', async () => {
    const first = await list('?limit=3');
    expect(first.body.items).toHaveLength(3);
    expect(typeof first.body.nextCursor).toBe('string');
    expect(await walk('?limit=3')).toEqual(newestFirst(created));
  });

  it('walking pages of 1 under a filter yields exactly the filtered tickets', async () => {
    const water = created.filter((id) => byId.get(id)!.category === 'water');
    expect(await walk('?category=water&limit=1')).toEqual(newestFirst(water));
  });

  it('a page that ends exactly at the last ticket has no next cursor', async () => {
    const page = await list(`?limit=${created.length}`);
    expect(page.body.items).toHaveLength(created.length);
    expect(page.body.nextCursor).toBeNull();
  });

  it('a ticket created during a walk neither repeats nor shifts the pages still to come', async () => {
    const first = await list('?limit=4');
    await call('POST', '/v1/tickets', { token: operator.token, body: newCall('a newer call', { category: 'water' }) });
    const rest = await walk('?limit=4', first.body.nextCursor);
    expect([...first.body.items.map((t: { id: string }) => t.id), ...rest]).toEqual(newestFirst(created));
  });

  it.each(['limit=0', 'limit=201', 'limit=-1', 'limit=ten', 'status=lost', 'category=fire', 'priority=P4'])(
    'answers 400 to %s', async (query) => {
      const answer = await list(`?${query}`);
      expect(answer.status).toBe(400);
      expect(answer.body.code).toBe('validation_failed');
    });

  it('accepts limits 1 and 200', async () => {
    expect((await list('?limit=1')).body.items).toHaveLength(1);
    expect((await list('?limit=200')).status).toBe(200);
  });

  const forged = (key: unknown) => Buffer.from(JSON.stringify(key)).toString('base64url');
  it.each([
    ['text that is no cursor', 'not-a-cursor!'],
    ['base64 of plain text', Buffer.from('hello').toString('base64url')],
    ['a key of the wrong length', forged(['2024-01-01T00:00:00.000000Z'])],
    ['a key that is no time', forged(['yesterday', '00000000-0000-0000-0000-000000000000'])],
    ['a key with no uuid', forged(['2024-01-01T00:00:00.000000Z', 'not-a-uuid'])],
    ['a key of numbers', forged([1, 2])],
    ['a key on 30 February', forged(['2024-02-30T00:00:00.000000Z', '00000000-0000-0000-0000-000000000000'])],
    ['a key in year 0', forged(['0000-01-01T00:00:00.000000Z', '00000000-0000-0000-0000-000000000000'])],
    ['a key of objects', forged([{}, {}])],
  ])('answers 400 to a garbage cursor: %s', async (_, cursor) => {
    const answer = await list(`?cursor=${encodeURIComponent(cursor)}`);
    expect(answer.status).toBe(400);
    expect(answer.body.code).toBe('validation_failed');
  });

  it('refuses responders with 403 and callers without a token with 401', async () => {
    const admin = await createUser(ctx, 'admin');
    const unit = await call('POST', '/v1/units', { token: admin.token, body: { callsign: 'W-LIST', type: 'water' } });
    const responder = await createUser(ctx, 'responder', unit.body.id);
    expect((await list('', responder.token)).status).toBe(403);
    expect((await call('GET', '/v1/tickets')).status).toBe(401);
  });

  it('every staff role may list', async () => {
    for (const role of ['admin', 'operator', 'dispatcher', 'supervisor'] as const) {
      expect((await list('?limit=1', (await createUser(ctx, role)).token)).status, role).toBe(200);
    }
  });
});
