import { startApp, type AppSession, type Bench } from './app.js';
import { callBody, spot } from './city.js';
import { resetState, withClient } from './db.js';
import { call, expect } from './http.js';
import type { Plan } from './plan.js';
import { closeAll, connectMany } from './sockets.js';
import { median, paced, percentile, pooled, sleep, waiter } from './stats.js';

export interface DispatchResult {
  ratePerSec: number;
  units: number;
  /** Tickets created (201) and, of those, offered before the drain time ran out. */
  created: number;
  offered: number;
  p50Ms: number;
  p99Ms: number;
  /** p50 of tickets sent one at a time at a walking pace before the load: the path itself, unqueued. */
  floorP50Ms: number;
  /** The ticket POST's own round trip, for reading the rest of the latency: queue, routing, socket hops. */
  postP50Ms: number;
  /**
   * Where the rest goes, by the server's clock (same machine): ticket created → offer committed
   * (queue and routing), and offer committed → received on the unit's socket (relay and sockets).
   */
  routedP50Ms: number;
  deliveredP50Ms: number;
  /** A unit's accept → resolved (four requests): how long each unit stays busy after its offer arrives. */
  flowP50Ms: number;
  rawRoundTripMs: number;
  p50Ratio: number;
  p99Ratio: number;
  /** Ticket POSTs not answered 201 and responder flows (accept → resolved) that failed. */
  failures: { intake: number; responders: number };
  peakRssMb: number;
}

type Sizes = Plan['dispatch'];
const MARK = /\[dispatch (\d+)\]$/;
/** How long after the last ticket is sent the missing offers and unfinished flows are waited for. */
const DRAIN_MS = 20000;
const WARMUP = 20;

/** Ticket POST sent → assignment.offered on the unit's socket, while every unit works its offers at once. */
export async function runDispatch(bench: Bench, sizes: Sizes): Promise<DispatchResult> {
  await resetState(bench.databaseUrl, bench.redisUrl);
  const rawRoundTripMs = await insertRoundTrip(bench.databaseUrl, sizes.rawSamples);
  const app = await startApp(bench);
  let run: Awaited<ReturnType<typeof load>>;
  try {
    run = await load(app, sizes);
  } catch (error) {
    await app.stop();
    throw error;
  }
  const peakRssMb = await app.stop();
  return {
    ratePerSec: sizes.ratePerSec, units: sizes.units, ...run, rawRoundTripMs,
    p50Ratio: run.p50Ms / rawRoundTripMs, p99Ratio: run.p99Ms / rawRoundTripMs, peakRssMb,
  };
}

/** One durable write: the median round trip of a committed single-row INSERT … RETURNING from one client. */
async function insertRoundTrip(databaseUrl: string, samples: number): Promise<number> {
  return withClient(databaseUrl, async (client) => {
    await client.query(`CREATE TABLE bench_raw_rtt (
      id bigserial PRIMARY KEY, body jsonb NOT NULL, created_at timestamptz NOT NULL DEFAULT now())`);
    const times: number[] = [];
    for (let i = 0; i < WARMUP + samples; i++) {
      const started = performance.now();
      await client.query('INSERT INTO bench_raw_rtt (body) VALUES ($1) RETURNING id, created_at', [callBody(i)]);
      if (i >= WARMUP) times.push(performance.now() - started);
    }
    return median(times);
  });
}

/** The units of one type, on duty, each with its responder's device connected. */
async function fleet(app: AppSession, size: number) {
  const units: Array<{ id: string }> = await pooled(Array.from({ length: size }, (_, i) => i), 8, (i) =>
    expect(201, app.url, 'POST', '/v1/units', {
      token: app.adminToken, body: { callsign: `PWR-${i + 1}`, type: 'power', location: spot(1_000_000 + i) },
    }));
  const responders = await app.createUsers(units.map((unit) => ({ role: 'responder', unitId: unit.id })));
  const sockets = await connectMany(app.url, responders.map((r) => r.token));
  return { units, responders, sockets };
}

/** Tickets sent one by one at a walking pace before the load: the path's own latency, unqueued. */
const FLOOR = { tickets: 20, ratePerSec: 4 };

async function load(app: AppSession, sizes: Sizes) {
  const [operator] = await app.createUsers([{ role: 'operator' }]);
  const { units, responders, sockets } = await fleet(app, sizes.units);
  try {
    const count = Math.round(sizes.ratePerSec * sizes.durationSec);
    const sentAt: number[] = [];
    const postTimes: number[] = [];
    const latencies = new Map<number, number>();
    const routed: number[] = [];
    const delivered: number[] = [];
    const flowTimes: number[] = [];
    const flows: Promise<void>[] = [];
    const failures = { intake: 0, responders: 0 };
    const created = new Set<number>();
    let expected: number[] = [];
    const allOffered = waiter(() => expected.every((i) => latencies.has(i) || !created.has(i)));
    sockets.forEach((socket, k) => socket.on('assignment.offered', (event: any) => {
      const receivedAt = performance.now();
      const i = Number(MARK.exec(event.data.ticket.description)?.[1]);
      if (!latencies.has(i)) {
        latencies.set(i, receivedAt - sentAt[i]!);
        if (i < count) {
          const offeredAt = Date.parse(event.at);
          routed.push(offeredAt - Date.parse(event.data.ticket.createdAt));
          delivered.push(Date.now() - offeredAt);
        }
      }
      allOffered.poke();
      flows.push(respond(app.url, responders[k]!.token, event.data.assignment.id)
        .then(() => { if (i < count) flowTimes.push(performance.now() - receivedAt); }, () => { failures.responders++; }));
    }));
    await pooled(units, 8, (unit, k) => expect(200, app.url, 'PUT', `/v1/units/${unit.id}/status`, {
      token: responders[k]!.token, body: { status: 'available' },
    }));
    const wave = async (first: number, n: number, ratePerSec: number) => {
      expected = Array.from({ length: n }, (_, j) => first + j);
      await paced(n, ratePerSec, async (j) => {
        const i = first + j;
        sentAt[i] = performance.now();
        const reply = await call(app.url, 'POST', '/v1/tickets', {
          token: operator!.token, body: callBody(i, { category: 'power', priority: 'P2', marker: 'dispatch' }),
        }).catch(() => null);
        if (reply?.status === 201) {
          created.add(i);
          if (i < count) postTimes.push(performance.now() - sentAt[i]!);
        } else {
          failures.intake++;
        }
      });
      await allOffered.wait(DRAIN_MS);
      return expected.filter((i) => latencies.has(i)).map((i) => latencies.get(i)!);
    };
    const floor = await wave(count, FLOOR.tickets, FLOOR.ratePerSec);
    const samples = await wave(0, count, sizes.ratePerSec);
    // The units finish their work before the server is stopped, so no flow is cut off mid-way.
    await Promise.race([Promise.all(flows), sleep(DRAIN_MS)]);
    return {
      created: [...created].filter((i) => i < count).length, offered: samples.length,
      p50Ms: percentile(samples, 50), p99Ms: percentile(samples, 99), floorP50Ms: median(floor),
      postP50Ms: median(postTimes), routedP50Ms: median(routed), deliveredP50Ms: median(delivered),
      flowP50Ms: median(flowTimes), failures,
    };
  } finally {
    closeAll(sockets);
  }
}

/** A responder that takes every offer at once and works it straight through. */
async function respond(url: string, token: string, assignmentId: string): Promise<void> {
  await expect(200, url, 'POST', `/v1/assignments/${assignmentId}/accept`, { token });
  for (const status of ['en_route', 'on_scene', 'resolved']) {
    await expect(200, url, 'POST', `/v1/assignments/${assignmentId}/progress`, { token, body: { status } });
  }
}
