import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

const scrape = async () => {
  const response = await api(ctx)('GET', '/metrics');
  expect(response.status).toBe(200);
  expect(response.headers.get('content-type')).toMatch(/^text\/plain; version=0\.0\.4/);
  return response.body as string;
};

describe('GET /metrics', () => {
  it('serves Prometheus text with the process metrics', async () => {
    const text = await scrape();
    expect(text).toMatch(/^# TYPE process_cpu_user_seconds_total counter$/m);
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toMatch(/^nodejs_eventloop_lag_seconds /m);
  });

  it('times HTTP requests by method, route template and status', async () => {
    const admin = await createUser(ctx, 'admin');
    await api(ctx)('GET', '/v1/units/00000000-0000-4000-8000-000000000000', { token: admin.token });
    const text = await scrape();
    expect(text).toMatch(/^http_request_duration_seconds_count\{method="GET",route="\/v1\/units\/:id",status="404"\} 1$/m);
    expect(text).toMatch(/^http_request_duration_seconds_bucket\{le="\+Inf",method="GET",route="\/v1\/units\/:id",status="404"\} 1$/m);
  });

  it('counts created tickets by category and priority', async () => {
    const operator = await createUser(ctx, 'operator');
    const ticket = { caller: { phone: '13800000000' }, location: { lat: 34.7, lon: 113.6 }, description: 'somebody is stuck in the lift', category: 'repair', priority: 'P1' };
    expect((await api(ctx)('POST', '/v1/tickets', { token: operator.token, body: ticket })).status).toBe(201);
    expect((await api(ctx)('POST', '/v1/tickets', { token: operator.token, body: ticket })).status).toBe(201);
    const text = await scrape();
    expect(text).toMatch(/^tickets_created_total\{category="repair",priority="P1"\} 2$/m);
  });
});
