import { Redis } from 'ioredis';
import pg from 'pg';
import { loadConfig } from '../src/config.js';
import { ensureDatabase, migrate } from '../src/db/migrate.js';

const BENCH_DB = 'l110_bench';
export const BENCH_PREFIX = 'l110bench';

/** The bench's own database beside the one DATABASE_URL names, the Redis of REDIS_URL, the city's time zone. */
export function benchTargets(): { databaseUrl: string; redisUrl: string; timeZone: string } {
  const config = loadConfig();
  const url = new URL(config.databaseUrl);
  url.pathname = `/${BENCH_DB}`;
  return { databaseUrl: url.toString(), redisUrl: config.redisUrl, timeZone: config.ticketTimeZone };
}

/**
 * A freshly migrated, empty database and no keys under the prefix. Each phase starts from this,
 * so one phase's tickets, units and timers never load the next.
 */
export async function resetState(databaseUrl: string, redisUrl: string): Promise<void> {
  await dropDatabase(databaseUrl);
  await ensureDatabase(databaseUrl);
  await migrate(databaseUrl);
  await clearPrefix(redisUrl);
}

export async function dropDatabase(databaseUrl: string): Promise<void> {
  const url = new URL(databaseUrl);
  const name = decodeURIComponent(url.pathname.slice(1));
  url.pathname = '/postgres';
  await withClient(url.toString(), (client) => client.query(`DROP DATABASE IF EXISTS ${pg.escapeIdentifier(name)} WITH (FORCE)`));
}

/** Deletes every key of the bench's prefix (queues, adapter, re-arm marker, rate limits). */
export async function clearPrefix(redisUrl: string): Promise<void> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  try {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', `${BENCH_PREFIX}:*`, 'COUNT', 5000);
      cursor = next;
      if (keys.length) await redis.unlink(...keys);
    } while (cursor !== '0');
  } finally {
    redis.disconnect();
  }
}

export async function withClient<T>(databaseUrl: string, work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: databaseUrl, application_name: 'l110-bench' });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/**
 * Redis checks blocked clients' timeouts `hz` times a second, and BullMQ's wait for its next
 * delayed job is such a timeout: at the stock 10, every offer and SLA timer is rounded up to
 * 100 ms. The bench runs Redis as `scripts/services.sh` and docker-compose start it (hz 100),
 * including a Redis that was already running. Returns the hz it found, for the results.
 */
export async function tuneRedisForTimers(redisUrl: string): Promise<number> {
  const redis = new Redis(redisUrl, { lazyConnect: true });
  await redis.connect();
  try {
    const [, before] = (await redis.config('GET', 'hz')) as [string, string];
    await redis.config('SET', 'hz', '100');
    return Number(before);
  } finally {
    redis.disconnect();
  }
}
