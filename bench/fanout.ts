import type { Socket } from 'socket.io-client';
import { startApp, type AppSession, type Bench } from './app.js';
import { spawnServer } from './children.js';
import { callBody } from './city.js';
import { resetState } from './db.js';
import { expect } from './http.js';
import type { Plan } from './plan.js';
import { closeAll, connectMany } from './sockets.js';
import { median, sleep, waiter } from './stats.js';

export interface FanoutResult {
  sockets: number;
  rounds: number;
  lastReceivedMs: number;
  bareLastMs: number;
  ratio: number;
  peakRssMb: number;
}

type Sizes = Plan['fanout'];
/** Rounds run but not counted: the first events warm JIT, pools and the relay. */
const WARMUP_ROUNDS = 2;
const ROUND_TIMEOUT_MS = 15000;
/** Lets the trailing traffic of a round (routing, acks) settle before the next trigger. */
const PAUSE_MS = 200;

/** One ticket.created to every dispatcher socket, against a bare Socket.IO broadcast to as many. */
export async function runFanout(bench: Bench, sizes: Sizes): Promise<FanoutResult> {
  await resetState(bench.databaseUrl, bench.redisUrl);
  const app = await startApp(bench);
  let appRun: { lastMs: number; envelope: unknown };
  try {
    appRun = await onApp(app, sizes);
  } catch (error) {
    await app.stop();
    throw error;
  }
  const peakRssMb = await app.stop();
  const bareLastMs = await onBare(appRun.envelope, sizes);
  return {
    sockets: sizes.sockets, rounds: sizes.rounds, lastReceivedMs: appRun.lastMs, bareLastMs,
    ratio: appRun.lastMs / bareLastMs, peakRssMb,
  };
}

async function onApp(app: AppSession, sizes: Sizes): Promise<{ lastMs: number; envelope: unknown }> {
  const [dispatcher] = await app.createUsers([{ role: 'dispatcher' }]);
  const sockets = await connectMany(app.url, new Array<string>(sizes.sockets).fill(dispatcher!.token));
  try {
    let envelope: unknown = null;
    const lastMs = await rounds(sockets, sizes.rounds, (marker, i) => {
      // Water has no units here: the ticket stays queued and adds no traffic of its own.
      return expect(201, app.url, 'POST', '/v1/tickets', {
        token: dispatcher!.token, body: callBody(i, { category: 'water', priority: 'P3', marker }),
      });
    }, (event) => { envelope ??= event; });
    return { lastMs, envelope };
  } finally {
    closeAll(sockets);
  }
}

/** The same clients and rounds on a bare server, broadcasting the app's own envelope (same size). */
async function onBare(envelope: any, sizes: Sizes): Promise<number> {
  const bare = await spawnServer('bench/bare-socket-server.ts', {}, { line: 'bare socket server ready' });
  try {
    const sockets = await connectMany(bare.url, new Array<undefined>(sizes.sockets).fill(undefined));
    try {
      return await rounds(sockets, sizes.rounds, async (marker, i) => {
        const description = String(envelope.data.description).replace(/\[[^\]]*\]$/, `[${marker} ${i}]`);
        await expect(204, bare.url, 'POST', '/broadcast', { body: { ...envelope, data: { ...envelope.data, description } } });
      });
    } finally {
      closeAll(sockets);
    }
  } finally {
    await bare.stop();
  }
}

/**
 * Per round: trigger, then the time until the last socket has the round's ticket.created.
 * Returns the median over the counted rounds.
 */
async function rounds(
  sockets: Socket[], count: number, trigger: (marker: string, i: number) => Promise<unknown>,
  onEvent: (event: unknown) => void = () => {},
): Promise<number> {
  let marker = '';
  let received = 0;
  let lastAt = 0;
  const everyone = waiter(() => received === sockets.length);
  for (const socket of sockets) {
    socket.on('ticket.created', (event: any) => {
      if (!String(event.data?.description).endsWith(marker)) return;
      received++;
      lastAt = performance.now();
      onEvent(event);
      everyone.poke();
    });
  }
  const times: number[] = [];
  for (let i = 0; i < WARMUP_ROUNDS + count; i++) {
    marker = `[fanout ${i}]`;
    received = 0;
    const sentAt = performance.now();
    const [, arrived] = await Promise.all([trigger('fanout', i), everyone.wait(ROUND_TIMEOUT_MS)]);
    if (!arrived) throw new Error(`round ${i}: ${received} of ${sockets.length} sockets got the event`);
    if (i >= WARMUP_ROUNDS) times.push(lastAt - sentAt);
    await sleep(PAUSE_MS);
  }
  return median(times);
}
