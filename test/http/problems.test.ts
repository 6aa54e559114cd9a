import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
let admin: string;
beforeAll(async () => {
  ctx = await build();
  admin = (await createUser(ctx, 'admin')).token;
});
afterAll(async () => { await ctx?.close(); });

/** Asserts the RFC 9457 shape of CONTRACT §2 and returns the body. */
function expectProblem(response: { status: number; body: any; headers: Headers }, status: number, code: string) {
  expect(response.status).toBe(status);
  expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  expect(response.body).toMatchObject({ type: expect.any(String), title: expect.any(String), status, detail: expect.any(String), code });
  return response.body;
}

const paths = (body: { errors: Array<{ path: string }> }) => body.errors.map((e) => e.path).sort();

describe('problem details', () => {
  it('malformed JSON is 400 validation_failed', async () => {
    const response = await api(ctx)('POST', '/v1/units', { token: admin, body: '{"callsign": "A-1",' });
    expectProblem(response, 400, 'validation_failed');
  });

  it('a schema error is 400 listing every offending path with a message', async () => {
    const response = await api(ctx)('POST', '/v1/units', { token: admin, body: { type: 'spaceship', colour: 'red' } });
    const body = expectProblem(response, 400, 'validation_failed');
    expect(paths(body)).toEqual(['body/callsign', 'body/colour', 'body/type']);
    for (const error of body.errors) expect(error.message).toEqual(expect.any(String));
  });

  it('a body over 64 KiB is 413 payload_too_large', async () => {
    const response = await api(ctx)('POST', '/v1/classify', { token: admin, body: { text: 'x'.repeat(65 * 1024) } });
    expectProblem(response, 413, 'payload_too_large');
  });

  it('a text/plain body is 415 unsupported_media_type', async () => {
    const response = await api(ctx)('POST', '/v1/classify', { token: admin, body: 'gas smell', headers: { 'content-type': 'text/plain' } });
    expectProblem(response, 415, 'unsupported_media_type');
  });

  it('an unknown route is 404 not_found', async () => {
    expectProblem(await api(ctx)('GET', '/v1/nowhere', { token: admin }), 404, 'not_found');
    expectProblem(await api(ctx)('DELETE', '/v1/units', { token: admin }), 404, 'not_found');
  });

  it('an id that is not a UUID is 400 on params/id', async () => {
    const body = expectProblem(await api(ctx)('GET', '/v1/units/42', { token: admin }), 400, 'validation_failed');
    expect(paths(body)).toEqual(['params/id']);
  });

  it.each([
    ['with a urn:uuid: prefix', (id: string) => `urn:uuid:${id}`],
    ['in capitals', (id: string) => id.toUpperCase()],
  ])('an id written %s is 400 on params/id, not a database error or a different id', async (_, form) => {
    const created = await api(ctx)('POST', '/v1/units', { token: admin, body: { callsign: `FORM-${randomUUID().slice(0, 8)}`, type: 'gas' } });
    expect(created.status).toBe(201);
    const body = expectProblem(await api(ctx)('GET', `/v1/units/${form(created.body.id)}`, { token: admin }), 400, 'validation_failed');
    expect(paths(body)).toEqual(['params/id']);
  });

  it.each(['garbage!', Buffer.from('["only-one"]').toString('base64url'), Buffer.from('{"a":1}').toString('base64url')])(
    'a cursor this API never issued (%s) is 400 on querystring/cursor', async (cursor) => {
      const body = expectProblem(await api(ctx)('GET', `/v1/units?cursor=${cursor}`, { token: admin }), 400, 'validation_failed');
      expect(paths(body)).toEqual(['querystring/cursor']);
    });

  it('a text with a NUL character is 400, not a database error', async () => {
    const body = expectProblem(await api(ctx)('POST', '/v1/units', { token: admin, body: { callsign: 'NUL-\u0000', type: 'gas' } }), 400, 'validation_failed');
    expect(body.detail).not.toMatch(/byte sequence|UTF8/);
  });

  it('401 and 403 are problems too', async () => {
    expectProblem(await api(ctx)('GET', '/v1/units'), 401, 'unauthorized');
    const operator = await createUser(ctx, 'operator');
    expectProblem(await api(ctx)('POST', '/v1/units', { token: operator.token, body: { callsign: 'OP-1', type: 'gas' } }), 403, 'forbidden');
  });
});
