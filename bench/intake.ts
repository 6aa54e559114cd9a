import autocannon from 'autocannon';
import pg from 'pg';
import { startApp, type Bench } from './app.js';
import { spawnServer } from './children.js';
import { callBody } from './city.js';
import { resetState, withClient } from './db.js';
import type { Plan } from './plan.js';

export interface IntakeResult {
  ticketsPerSec: number;
  minimalHttpPerSec: number;
  rawInsertsPerSec: number;
  ratio: number;
  /** Answers other than 2xx, and connection errors, per target: a rate built on failures is no rate. */
  failures: { app: number; minimal: number };
  peakRssMb: number;
}

type Sizes = Plan['intake'];

/** POST /v1/tickets on the app, then the same load on a bare INSERT route, then bare pg. */
export async function runIntake(bench: Bench, sizes: Sizes): Promise<IntakeResult> {
  await resetState(bench.databaseUrl, bench.redisUrl);
  const app = await startApp(bench);
  let token: string;
  let appRun: Rate;
  try {
    token = (await app.createUsers([{ role: 'operator' }]))[0]!.token;
    appRun = await hammer(app.url, token, sizes);
  } catch (error) {
    await app.stop();
    throw error;
  }
  const peakRssMb = await app.stop();
  const minimal = await spawnServer('bench/minimal-server.ts', { DATABASE_URL: bench.databaseUrl }, { line: 'minimal server ready' });
  let minimalRun: Rate;
  try {
    minimalRun = await hammer(minimal.url, token, sizes);
  } finally {
    await minimal.stop();
  }
  const rawInsertsPerSec = await rawInserts(bench.databaseUrl, sizes.rawClients, sizes.rawDurationSec);
  return {
    ticketsPerSec: appRun.perSec, minimalHttpPerSec: minimalRun.perSec, rawInsertsPerSec,
    ratio: appRun.perSec / minimalRun.perSec,
    failures: { app: appRun.failures, minimal: minimalRun.failures },
    peakRssMb,
  };
}

interface Rate {
  perSec: number;
  failures: number;
}

/** Requests before each measured run that are not counted: JIT, pools and caches warm up first. */
const WARMUP_PER_CONNECTION = 10;
let serial = 0;

/** autocannon: every request a new call, at a new spot, with new words; 2xx answers per second. */
async function hammer(url: string, token: string, sizes: Sizes): Promise<Rate> {
  const options = {
    url: `${url}/v1/tickets`,
    connections: sizes.connections,
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    requests: [{ setupRequest: (request: object) => ({ ...request, body: JSON.stringify(callBody(serial++)) }) }],
  };
  await autocannon({ ...options, amount: sizes.connections * WARMUP_PER_CONNECTION });
  const result = await autocannon({ ...options, duration: sizes.durationSec });
  return { perSec: result['2xx'] / result.duration, failures: result.non2xx + result.errors };
}

/** Plain pg: `clients` connections each inserting the same body shape back to back. */
async function rawInserts(databaseUrl: string, clients: number, durationSec: number): Promise<number> {
  await withClient(databaseUrl, (c) => c.query(`CREATE TABLE IF NOT EXISTS bench_raw_inserts (
    id bigserial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`));
  const connections = await Promise.all(Array.from({ length: clients }, async () => {
    const client = new pg.Client({ connectionString: databaseUrl, application_name: 'bench-raw' });
    await client.connect();
    return client;
  }));
  let done = 0;
  const started = performance.now();
  const until = started + durationSec * 1000;
  try {
    await Promise.all(connections.map(async (client, lane) => {
      for (let i = lane; performance.now() < until; i += clients) {
        await client.query('INSERT INTO bench_raw_inserts (body) VALUES ($1) RETURNING id', [callBody(i)]);
        done++;
      }
    }));
    return done / ((performance.now() - started) / 1000);
  } finally {
    await Promise.all(connections.map((client) => client.end()));
  }
}
