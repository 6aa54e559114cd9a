import pino from 'pino';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../../src/app.js';
import { createPool } from '../../src/db/pool.js';
import { createCommandRedis } from '../../src/redis.js';
import { createServices } from '../../src/services.js';
import { api, build, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

// Nothing listens on port 1 of the loopback: a dependency that is down.
const DOWN = { databaseUrl: 'postgres://postgres@127.0.0.1:1/l110', redisUrl: 'redis://127.0.0.1:1' };

/** The API alone, built like the real one but on the given URLs, listening on a free port. */
async function apiWith(urls: { databaseUrl?: string; redisUrl?: string }) {
  const config = { ...ctx.config, ...urls };
  const pool = createPool(config.databaseUrl, { max: 1 });
  const redis = createCommandRedis(config.redisUrl, 'health-test');
  const services = createServices({ config, logger: pino({ level: 'silent' }), pool, redis, classifier: ctx.system.services.classifier });
  // Queue producers report an unreachable Redis on the console unless someone listens.
  for (const queue of services.jobs.queues.values()) queue.on('error', () => {});
  const app = await buildApp(services);
  await app.listen({ port: 0, host: '127.0.0.1' });
  const { port } = app.server.address() as { port: number };
  const call = api({ url: `http://127.0.0.1:${port}` });
  const close = async () => {
    await app.close();
    await services.jobs.close();
    redis.disconnect();
    await pool.end();
  };
  return { call, close };
}

describe('health', () => {
  it('live answers 200 while the process runs', async () => {
    const response = await api(ctx)('GET', '/health/live');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok' });
  });

  it('ready answers 200 when PostgreSQL and Redis answer', async () => {
    const response = await api(ctx)('GET', '/health/ready');
    expect(response.status).toBe(200);
    expect(response.body).toEqual({ status: 'ok', postgres: 'ok', redis: 'ok' });
  });

  it.each([
    ['Redis', { redisUrl: DOWN.redisUrl }, 'postgres: ok, redis: down'],
    ['PostgreSQL', { databaseUrl: DOWN.databaseUrl }, 'postgres: down, redis: ok'],
  ])('an API whose %s is down still starts, stays live, and is not ready: 503 unavailable', async (_name, urls, detail) => {
    const system = await apiWith(urls);
    try {
      expect((await system.call('GET', '/health/live')).status).toBe(200);
      const ready = await system.call('GET', '/health/ready');
      expect(ready.status).toBe(503);
      expect(ready.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      expect(ready.body).toMatchObject({ status: 503, code: 'unavailable', detail });
    } finally {
      await system.close();
    }
  });
});
