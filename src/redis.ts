import { Redis, type RedisOptions } from 'ioredis';

export type { Redis };

/**
 * Commands from request handlers fail at once while Redis is down, so the API can answer 503
 * instead of hanging; PostgreSQL still holds everything needed to rebuild queues later.
 */
export function createCommandRedis(url: string, name: string): Redis {
  return open(url, { connectionName: name, enableOfflineQueue: false, maxRetriesPerRequest: 1 });
}

/** Blocking consumers (BullMQ workers, pub/sub) wait for Redis to come back instead of failing. */
export function createBlockingRedis(url: string, name: string): Redis {
  return open(url, { connectionName: name, maxRetriesPerRequest: null });
}

function open(url: string, options: RedisOptions): Redis {
  const redis = new Redis(url, {
    ...options,
    retryStrategy: (attempt) => Math.min(attempt * 100, 2000),
  });
  // ioredis reconnects by itself; without a listener an outage would crash the process.
  redis.on('error', () => {});
  return redis;
}
