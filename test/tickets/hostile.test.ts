import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type Api, type TestContext } from '../helper.js';
import { countRows, newCall } from './support.js';

let ctx: TestContext;
let call: Api;
let token: string;

beforeAll(async () => {
  ctx = await build();
  call = api(ctx);
  token = (await createUser(ctx, 'operator')).token;
});
afterAll(async () => { await ctx?.close(); });

const HOSTILE: Array<[string, string]> = [
  ['SQL', "'); DROP TABLE tickets; --"],
  ['more SQL', "1' OR '1'='1'; UPDATE tickets SET status = 'closed' WHERE ''='"],
  ['HTML', '<script>alert("x")</script><img src=x onerror=alert(1)>'],
  ['emoji', '🔥🚒 gas? 💨 — 👩‍👩‍👧‍👦 family of four inside 🏠'],
  ['right-to-left override', 'call from \u202Eenohp\u202C and \u200Fmark\u200E'],
  ['zero-width characters', 'g\u200Da\u200Bs\u2060 l\uFEFFeak\u200C'],
  ['Chinese and English', '厨房 kitchen 有煤气味 smell of gas，快来！'],
  ['quotes, backslashes and control whitespace', 'she said "help"\\n \\u0000 \\\\ \t tab\r\nnew line'],
  ['template and format strings', '${process.exit()} {{7*7}} %s%n%x #{1+1}'],
  ['JSON and operators', '{"$ne": null, "__proto__": {"admin": true}}'],
  ['astral and combining characters', '𝕲𝖆𝖘 Z̷̛̗a̴l̶g̸o e\u0301 𠜎𠜱'],
];

async function stored(id: string) {
  const { rows } = await ctx.db.query<{ description: string; callerName: string; address: string; event: string }>(
    `SELECT t.description, t.caller_name AS "callerName", t.address, e.data->>'description' AS event
     FROM tickets t JOIN events e ON e.type = 'ticket.created' AND e.data->>'id' = t.id::text WHERE t.id = $1`, [id]);
  return rows[0]!;
}

describe('hostile text is stored and returned verbatim', () => {
  it.each(HOSTILE)('%s', async (_, text) => {
    const body = newCall(text, { category: 'gas' });
    body.caller = { ...body.caller, name: text };
    const location = { address: text, ...body.location };
    const created = await call('POST', '/v1/tickets', { token, body: { ...body, location } });
    expect(created.status).toBe(201);
    expect(created.body.description).toBe(text);
    expect(created.body.caller.name).toBe(text);
    expect(created.body.location.address).toBe(text);
    expect(await stored(created.body.id)).toEqual({ description: text, callerName: text, address: text, event: text });
    const read = await call('GET', `/v1/tickets/${created.body.id}`, { token });
    expect(read.body.description).toBe(text);
    const listed = await call('GET', '/v1/tickets?limit=1', { token });
    expect(listed.body.items[0].description).toBe(text);
  });

  it('the tickets table is still there and whole after all that', async () => {
    expect(await countRows(ctx, 'tickets')).toBe(HOSTILE.length);
    const { rows } = await ctx.db.query("SELECT count(*)::int AS n FROM tickets WHERE status <> 'queued'");
    expect(rows[0].n).toBe(0);
  });
});

describe('description length is counted in characters', () => {
  it.each([
    ['4000 ASCII characters', 'x'.repeat(4000)],
    ['4000 emoji (8000 UTF-16 units, 16000 bytes)', '🚒'.repeat(4000)],
    ['a single character', '?'],
  ])('%s are accepted verbatim', async (_, text) => {
    const created = await call('POST', '/v1/tickets', { token, body: newCall(text, { category: 'gas' }) });
    expect(created.status).toBe(201);
    expect(created.body.description).toBe(text);
    expect((await stored(created.body.id)).description).toBe(text);
  });

  it.each([
    ['4001 ASCII characters', 'x'.repeat(4001)],
    ['4001 emoji', '🚒'.repeat(4001)],
  ])('%s are refused with 400 and nothing is created', async (_, text) => {
    const before = await countRows(ctx, 'tickets');
    const refused = await call('POST', '/v1/tickets', { token, body: newCall(text) });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'body/description' })]);
    expect(await countRows(ctx, 'tickets')).toBe(before);
  });
});

describe('text PostgreSQL cannot hold verbatim is refused, not mangled', () => {
  it.each([
    ['a NUL character in the description', { description: 'gas\u0000leak' }, 'body/description'],
    ['a NUL character in the caller name', { caller: { phone: '110', name: 'Li\u0000' } }, 'body/caller/name'],
    ['a NUL character in the address', { location: { lat: 30, lon: 120, address: '\u0000' } }, 'body/location/address'],
    ['a lone high surrogate in the description', { description: 'gas \uD83D leak' }, 'body/description'],
    ['a lone low surrogate in the caller name', { caller: { phone: '110', name: '\uDC00' } }, 'body/caller/name'],
  ])('%s: 400, nothing created', async (_, override, path) => {
    const before = await countRows(ctx, 'tickets');
    const refused = await call('POST', '/v1/tickets', { token, body: { ...newCall('gas leak'), ...override } });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    expect(refused.body.errors).toEqual([expect.objectContaining({ path })]);
    expect(await countRows(ctx, 'tickets')).toBe(before);
  });

  it('a correction with a lone surrogate or a NUL is refused too, and the ticket keeps its text', async () => {
    const created = await call('POST', '/v1/tickets', { token, body: newCall('gas leak', { category: 'gas' }) });
    for (const description of ['\uD83D', 'a\u0000b']) {
      const refused = await call('PATCH', `/v1/tickets/${created.body.id}`, { token, body: { description } });
      expect(refused.status).toBe(400);
      expect(refused.body.errors).toEqual([expect.objectContaining({ path: 'body/description' })]);
    }
    expect((await stored(created.body.id)).description).toBe('gas leak');
  });
});
