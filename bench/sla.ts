import { startApp, type AppSession, type Bench } from './app.js';
import { callBody } from './city.js';
import { resetState, withClient } from './db.js';
import { call, expect } from './http.js';
import type { Plan } from './plan.js';
import { connect } from './sockets.js';
import { paced, percentile, sleep, waiter } from './stats.js';

export interface SlaResult {
  liveTimers: number;
  measured: number;
  breached: number;
  p50LateMs: number;
  p99LateMs: number;
  /** Seconds from the server's start until its reconciler had every filler timer in Redis. */
  rearmSec: number;
  peakRssMb: number;
}

type Sizes = Plan['sla'];
/** Each open ticket has one timer in Redis, due at its next alert (src/sla/timers.ts). */
const TIMERS_PER_TICKET = 1;
const REARM_TIMEOUT_MS = 150000;
/** The gauge is set once per reconcile pass, after the re-arm; a few timers short still counts as armed. */
const ARMED_SHARE = 0.99;

/**
 * sla.breached received minus its dueAt, with `liveTimers` timers waiting. The filler tickets are
 * written straight into PostgreSQL before the server starts, so its reconciler arms their timers
 * from the rows, as after a Redis loss; intake at API speed would take minutes.
 */
export async function runSla(bench: Bench, sizes: Sizes): Promise<SlaResult> {
  await resetState(bench.databaseUrl, bench.redisUrl);
  const fillers = Math.ceil(sizes.liveTimers / TIMERS_PER_TICKET);
  await insertFillers(bench, fillers);
  const started = performance.now();
  const app = await startApp(bench);
  let run: Omit<SlaResult, 'peakRssMb' | 'rearmSec'>;
  let rearmSec: number;
  try {
    await timersArmed(app.url, Math.floor(fillers * TIMERS_PER_TICKET * ARMED_SHARE));
    rearmSec = (performance.now() - started) / 1000;
    run = await measure(app, sizes);
  } catch (error) {
    await app.stop();
    throw error;
  }
  return { ...run, rearmSec, peakRssMb: await app.stop() };
}

/**
 * Open heating calls under the default policy (assign warning at 24 min, breach at 30 min): half
 * taken now, half taken 25 minutes ago whose assign warning has gone out, as in a backlog on a bad
 * night. Every one's timer waits throughout the phase, and none owes an alert the sweep should read.
 */
async function insertFillers(bench: Bench, count: number): Promise<void> {
  await withClient(bench.databaseUrl, async (client) => {
    await client.query(
      `INSERT INTO tickets (number, status, category, priority, classification, caller_phone, lat, lon, description,
                            created_at, assign_due_at, arrive_due_at, resolve_due_at)
       SELECT next_ticket_number((now() AT TIME ZONE $2)::date), 'queued', p.category, p.priority,
              jsonb_build_object('category', p.category, 'priority', p.priority, 'confidence', 1, 'matched', '[]'::jsonb,
                                 'source', 'operator'),
              '+86 13900000000', 34.6 + random() * 0.3, 113.5 + random() * 0.3, '暖气片不热 [filler ' || g || ']',
              c.at, c.at + make_interval(secs => p.assign_sec), c.at + make_interval(secs => p.arrive_sec),
              c.at + make_interval(secs => p.resolve_sec)
       FROM generate_series(1, $1::int) AS g, sla_policies p,
            LATERAL (SELECT now() - CASE WHEN g % 2 = 0 THEN interval '25 minutes' ELSE interval '0' END AS at) c
       WHERE p.category = 'heating' AND p.priority = 'P3'`, [count, bench.timeZone]);
    await client.query(
      `INSERT INTO sla_alerts (ticket_id, stage, kind, due_at, category, priority)
       SELECT id, 'assign', 'warning', assign_due_at, category, priority FROM tickets WHERE created_at < now() - interval '20 minutes'`);
  });
}

/** Waits for the app's own gauge of delayed SLA jobs (set after each reconcile pass) to reach `target`. */
async function timersArmed(url: string, target: number): Promise<void> {
  const deadline = Date.now() + REARM_TIMEOUT_MS;
  for (;;) {
    if (await liveTimers(url) >= target) return;
    if (Date.now() > deadline) throw new Error(`fewer than ${target} SLA timers armed after ${REARM_TIMEOUT_MS / 1000} s`);
    await sleep(500);
  }
}

async function liveTimers(url: string): Promise<number> {
  const metrics = await call(url, 'GET', '/metrics');
  return Number(/^sla_live_timers (\d+)/m.exec(String(metrics.body))?.[1] ?? 0);
}

async function measure(app: AppSession, sizes: Sizes): Promise<Omit<SlaResult, 'peakRssMb' | 'rearmSec'>> {
  const [operator, supervisor] = await app.createUsers([{ role: 'operator' }, { role: 'supervisor' }]);
  const board = await connect(app.url, supervisor!.token);
  try {
    const lateness = new Map<string, number>();
    const ids: string[] = [];
    const allBreached = waiter(() => ids.length === sizes.measured && ids.every((id) => lateness.has(id)));
    board.on('sla.breached', (event: any) => {
      if (event.data.stage === 'assign') lateness.set(event.data.ticketId, Date.now() - Date.parse(event.data.dueAt));
      allBreached.poke();
    });
    // Gas has no units here, so these calls stay queued and their assign stage breaches on time, or late.
    await expect(200, app.url, 'PUT', '/v1/sla/policies/gas/P3', {
      token: app.adminToken, body: { assignSec: sizes.assignSec, arriveSec: 3600, resolveSec: 7200 },
    });
    const live = await liveTimers(app.url);
    await paced(sizes.measured, sizes.measured / sizes.spreadSec, async (i) => {
      const ticket = await expect(201, app.url, 'POST', '/v1/tickets', {
        token: operator!.token, body: callBody(i, { category: 'gas', priority: 'P3', marker: 'sla' }),
      });
      ids.push(ticket.id);
    });
    await allBreached.wait(sizes.assignSec * 1000 + 15000);
    const samples = ids.filter((id) => lateness.has(id)).map((id) => lateness.get(id)!);
    return {
      liveTimers: live, measured: ids.length, breached: samples.length,
      p50LateMs: percentile(samples, 50), p99LateMs: percentile(samples, 99),
    };
  } finally {
    board.disconnect();
  }
}
