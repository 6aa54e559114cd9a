import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

describe('an unexpected server error', () => {
  it('is a 500 problem that names the request id and leaks no stack trace or SQL', async () => {
    const admin = await createUser(ctx, 'admin');
    // A real fault, not a mock: the table the handler reads is gone from this file's own database.
    await ctx.db.query('ALTER TABLE units RENAME TO units_away');
    let response;
    try {
      response = await api(ctx)('GET', '/v1/units', { token: admin.token, headers: { 'x-request-id': 'trace-me-500' } });
    } finally {
      await ctx.db.query('ALTER TABLE units_away RENAME TO units');
    }
    expect(response.status).toBe(500);
    expect(response.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(response.headers.get('x-request-id')).toBe('trace-me-500');
    // The whole body, so that nothing of the database error (message, SQL, stack) can ride along.
    expect(response.body).toEqual({
      type: 'https://livelihood110.example/problems/internal', title: 'Internal Server Error', status: 500,
      detail: 'Something went wrong; quote request id trace-me-500', code: 'internal', instance: '/v1/units',
    });
    expect((await api(ctx)('GET', '/v1/units', { token: admin.token })).status).toBe(200);
  });
});
