import { execFile } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { freePort } from '../helper.js';

const SCRIPT = fileURLToPath(new URL('../../scripts/services.sh', import.meta.url));
const DATABASE_URL = process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
const REDIS_URL = process.env.REDIS_URL ?? 'redis://127.0.0.1:6379';

interface Outcome {
  code: number;
  stderr: string;
}

async function services(env: Record<string, string>): Promise<Outcome> {
  try {
    const { stderr } = await promisify(execFile)('bash', [SCRIPT], {
      env: { ...process.env, DATABASE_URL, REDIS_URL, SERVICES_WAIT_SECONDS: '20', ...env },
    });
    return { code: 0, stderr };
  } catch (error) {
    const failed = error as { code: number; stderr: string };
    return { code: failed.code, stderr: failed.stderr };
  }
}

// Redis servers this file started on free ports, shut down at the end.
const started: Redis[] = [];
afterAll(async () => {
  await Promise.all(started.map((redis) => redis.call('SHUTDOWN', 'NOSAVE').catch(() => {})));
});

describe('scripts/services.sh', () => {
  it('does nothing, silently, when both services answer', async () => {
    expect(await services({})).toEqual({ code: 0, stderr: '' });
  });

  it('starts the installed redis-server when a local Redis does not answer', async () => {
    const port = await freePort();
    const outcome = await services({ REDIS_URL: `redis://127.0.0.1:${port}` });
    const redis = new Redis({ port, lazyConnect: true, maxRetriesPerRequest: 0 });
    started.push(redis);
    expect(outcome.code).toBe(0);
    expect(outcome.stderr).toContain(`starting redis-server on 127.0.0.1:${port}`);
    expect(await redis.ping()).toBe('PONG');
    // Delayed jobs (offer and SLA timers) fire within 10 ms instead of 100.
    expect(await redis.config('GET', 'hz')).toEqual(['hz', '100']);
  });

  it('refuses a remote Redis that does not answer, saying what to fix', async () => {
    const outcome = await services({ REDIS_URL: 'redis://redis.invalid:6379' });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('Redis does not answer at redis.invalid:6379 (remote host); start it or fix REDIS_URL');
  });

  it('refuses a local PostgreSQL port with no cluster on it, saying what to fix', async () => {
    const port = await freePort();
    const outcome = await services({ DATABASE_URL: `postgres://postgres@127.0.0.1:${port}/livelihood110` });
    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(`no local cluster is configured on port ${port}`);
  });
});
