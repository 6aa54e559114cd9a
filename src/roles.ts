import type { FastifyInstance } from 'fastify';
import type { Worker } from 'bullmq';
import { EventRelay } from './events/relay.js';
import { Reconciler } from './jobs/reconciler.js';
import { startWorkers } from './jobs/worker.js';
import { buildApp, buildOpsApp } from './app.js';
import { attachRealtime } from './realtime/server.js';
import { createBlockingRedis, type Redis } from './redis.js';
import { jobHandlers, type Services } from './services.js';
import type { Role } from './config.js';

export interface Running {
  app: FastifyInstance | null;
  realtime: Awaited<ReturnType<typeof attachRealtime>> | null;
  relay: EventRelay | null;
  reconciler: Reconciler | null;
  /** Stops taking work, lets in-flight requests and jobs finish, closes every connection. */
  close(): Promise<void>;
}

/** Starts the parts this process runs: `api` (HTTP + Socket.IO) and/or `worker` (queues, relay, reconciler). */
export async function startRoles(s: Services, roles: ReadonlySet<Role>, listen: { port: number; host: string } | null): Promise<Running> {
  const connections: Redis[] = [];
  const redisFor = (name: string) => {
    const redis = createBlockingRedis(s.config.redisUrl, name);
    connections.push(redis);
    return redis;
  };
  let app: FastifyInstance | null = null;
  let realtime: Running['realtime'] = null;
  let workers: Worker[] = [];
  let relay: EventRelay | null = null;
  let reconciler: Reconciler | null = null;

  if (roles.has('api')) {
    app = await buildApp(s);
    realtime = await attachRealtime({
      app, pool: s.pool, pub: redisFor('l110-io-pub'), sub: redisFor('l110-io-sub'), prefix: s.config.redisPrefix,
      dispatch: s.dispatch, logger: s.logger,
    });
  } else if (listen) {
    // A worker-only process still answers health checks and is scraped for its own metrics.
    app = await buildOpsApp(s);
  }
  if (listen) await app?.listen(listen);
  else await app?.ready();
  if (roles.has('worker')) {
    workers = startWorkers(redisFor('l110-worker'), s.config.redisPrefix, jobHandlers(s), s.logger);
    relay = new EventRelay({
      pool: s.pool, databaseUrl: s.config.databaseUrl, redis: s.redis, subscriber: redisFor('l110-relay-sub'),
      prefix: s.config.redisPrefix, logger: s.logger,
    });
    await relay.start();
    reconciler = new Reconciler({
      pool: s.pool, redis: s.redis, jobs: s.jobs, sla: s.sla, metrics: s.metrics, logger: s.logger,
      intervalMs: s.config.reconcileIntervalMs,
    });
    reconciler.start();
  }

  return {
    app, realtime, relay, reconciler,
    close: async () => {
      await realtime?.close();
      await app?.close();
      await reconciler?.stop();
      await Promise.all(workers.map((worker) => worker.close()));
      await relay?.stop();
      await Promise.all(connections.map((redis) => redis.quit().catch(() => redis.disconnect())));
    },
  };
}
