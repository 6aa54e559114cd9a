import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type Api, type TestContext } from '../helper.js';
import { GAS_SMELL, countRows, newCall } from './support.js';

let ctx: TestContext;
let call: Api;
let token: string;
let supervisor: string;
const usedKey = randomUUID();

beforeAll(async () => {
  ctx = await build();
  call = api(ctx);
  token = (await createUser(ctx, 'operator')).token;
  supervisor = (await createUser(ctx, 'supervisor')).token;
  const first = await call('POST', '/v1/tickets', { token, body: newCall(GAS_SMELL), headers: { 'idempotency-key': usedKey } });
  expect(first.status).toBe(201);
});
afterAll(async () => { await ctx?.close(); });

const TABLES = ['tickets', 'ticket_events', 'events', 'idempotency_keys', 'classification_corrections'];

async function counts(): Promise<Record<string, number>> {
  return Object.fromEntries(await Promise.all(TABLES.map(async (table) => [table, await countRows(ctx, table)])));
}

const valid = newCall(GAS_SMELL);
const without = (field: string) => Object.fromEntries(Object.entries(valid).filter(([key]) => key !== field));

/** Who sends the request: the operator unless said otherwise. */
type Sender = 'nobody' | 'forger' | 'supervisor';
type Case = [name: string, status: number, code: string, request: { body?: unknown; headers?: Record<string, string>; as?: Sender }];

const FORGED = 'eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJ4In0.c2lnbmF0dXJl';

const CASES: Case[] = [
  ['an empty object', 400, 'validation_failed', { body: {} }],
  ['no description', 400, 'validation_failed', { body: without('description') }],
  ['an empty description', 400, 'validation_failed', { body: { ...valid, description: '' } }],
  ['a description of 4001 characters', 400, 'validation_failed', { body: { ...valid, description: 'x'.repeat(4001) } }],
  ['no caller', 400, 'validation_failed', { body: without('caller') }],
  ['a caller without a phone', 400, 'validation_failed', { body: { ...valid, caller: { name: 'Li' } } }],
  ['a phone made of letters', 400, 'validation_failed', { body: { ...valid, caller: { phone: 'call me maybe' } } }],
  ['an empty phone', 400, 'validation_failed', { body: { ...valid, caller: { phone: '' } } }],
  ['a phone of 41 characters', 400, 'validation_failed', { body: { ...valid, caller: { phone: '1'.repeat(41) } } }],
  ['a caller name of 201 characters', 400, 'validation_failed', { body: { ...valid, caller: { phone: '110', name: 'n'.repeat(201) } } }],
  ['an address of 501 characters', 400, 'validation_failed', { body: { ...valid, location: { ...valid.location, address: 'a'.repeat(501) } } }],
  ['no location', 400, 'validation_failed', { body: without('location') }],
  ['a location without lat', 400, 'validation_failed', { body: { ...valid, location: { lon: 120 } } }],
  ['a latitude of 91', 400, 'validation_failed', { body: { ...valid, location: { lat: 91, lon: 120 } } }],
  ['a longitude of -181', 400, 'validation_failed', { body: { ...valid, location: { lat: 30, lon: -181 } } }],
  ['an unknown category', 400, 'validation_failed', { body: { ...valid, category: 'fire' } }],
  ['an unknown priority', 400, 'validation_failed', { body: { ...valid, priority: 'P0' } }],
  ['a status chosen by the caller', 400, 'validation_failed', { body: { ...valid, status: 'resolved' } }],
  ['an id chosen by the caller', 400, 'validation_failed', { body: { ...valid, id: randomUUID() } }],
  ['an unknown field in caller', 400, 'validation_failed', { body: { ...valid, caller: { phone: '110', vip: true } } }],
  ['an unknown field in location', 400, 'validation_failed', { body: { ...valid, location: { ...valid.location, floor: 3 } } }],
  ['a JSON array', 400, 'validation_failed', { body: [valid] }],
  ['a JSON string', 400, 'validation_failed', { body: JSON.stringify(JSON.stringify(valid)) }],
  ['JSON null', 400, 'validation_failed', { body: 'null' }],
  ['broken JSON', 400, 'validation_failed', { body: '{"caller": {"phone": "110"}, ' }],
  ['an empty body', 400, 'validation_failed', { body: '' }],
  ['a text/plain body', 415, 'unsupported_media_type', { body: JSON.stringify(valid), headers: { 'content-type': 'text/plain' } }],
  ['a body over 64 KiB', 413, 'payload_too_large', { body: { ...valid, description: 'x'.repeat(70 * 1024) } }],
  ['an Idempotency-Key of 201 characters', 400, 'validation_failed', { body: valid, headers: { 'idempotency-key': 'k'.repeat(201) } }],
  ['a used Idempotency-Key with another body', 422, 'idempotency_key_reused', { body: valid, headers: { 'idempotency-key': usedKey } }],
  ['no token', 401, 'unauthorized', { body: valid, as: 'nobody' }],
  ['a forged token', 401, 'unauthorized', { body: valid, as: 'forger' }],
  ['a supervisor token', 403, 'forbidden', { body: valid, as: 'supervisor' }],
  // JSON of the wrong type is a schema error too (CONTRACT §2), not something to coerce into shape.
  ['a number as description', 400, 'validation_failed', { body: { ...valid, description: 12345 } }],
  ['a boolean as description', 400, 'validation_failed', { body: { ...valid, description: true } }],
  ['an array as description', 400, 'validation_failed', { body: { ...valid, description: [GAS_SMELL] } }],
  ['a number as phone', 400, 'validation_failed', { body: { ...valid, caller: { phone: 110 } } }],
  ['null as caller name', 400, 'validation_failed', { body: { ...valid, caller: { phone: '110', name: null } } }],
  ['a string as latitude', 400, 'validation_failed', { body: { ...valid, location: { lat: '30.5', lon: 120 } } }],
  ['an array as category', 400, 'validation_failed', { body: { ...valid, category: ['gas'] } }],
];

function bearer(as: Sender | undefined): string | undefined {
  if (as === 'nobody') return undefined;
  if (as === 'forger') return FORGED;
  return as === 'supervisor' ? supervisor : token;
}

describe('a rejected POST /v1/tickets changes nothing', () => {
  it.each(CASES)('%s → %i %s', async (_, status, code, request) => {
    const before = await counts();
    const answer = await call('POST', '/v1/tickets', { token: bearer(request.as), body: request.body, headers: request.headers });
    expect(answer.status).toBe(status);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code });
    expect(await counts()).toEqual(before);
  });
});
