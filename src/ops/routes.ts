import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import type { Pool } from '../db/pool.js';
import type { Redis } from '../redis.js';
import { Problem } from '../http/problem.js';
import { problemResponses } from '../http/schemas.js';
import type { Metrics } from './metrics.js';

export interface OpsRoutesOptions {
  pool: Pool;
  redis: Redis;
  metrics: Metrics;
}

const CHECK_TIMEOUT_MS = 1000;

function within<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('timed out')), ms); });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function probe(check: () => Promise<unknown>): Promise<'ok' | 'down'> {
  try {
    await within(check(), CHECK_TIMEOUT_MS);
    return 'ok';
  } catch {
    return 'down';
  }
}

const Health = Type.Object({ status: Type.String(), postgres: Type.Optional(Type.String()), redis: Type.Optional(Type.String()) });

const opsRoutes: FastifyPluginAsyncTypebox<OpsRoutesOptions> = async (app, { pool, redis, metrics }) => {
  app.get('/health/live', {
    schema: { tags: ['ops'], summary: 'The process is up', response: { 200: Health } },
    logLevel: 'warn',
  }, async () => ({ status: 'ok' }));

  app.get('/health/ready', {
    schema: { tags: ['ops'], summary: 'PostgreSQL and Redis answer', response: { 200: Health, ...problemResponses } },
    logLevel: 'warn',
  }, async () => {
    const [postgres, cache] = await Promise.all([probe(() => pool.query('SELECT 1')), probe(() => redis.ping())]);
    if (postgres !== 'ok' || cache !== 'ok') {
      throw new Problem(503, 'unavailable', `postgres: ${postgres}, redis: ${cache}`);
    }
    return { status: 'ok', postgres, redis: cache };
  });

  app.get('/metrics', {
    schema: { tags: ['ops'], summary: 'Prometheus metrics', hide: false },
    logLevel: 'warn',
  }, async (_request, reply) => reply.type(metrics.registry.contentType).send(await metrics.registry.metrics()));
};

export default opsRoutes;
