import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type Listener, type TestContext } from '../helper.js';
import { STAGES, alertOf, createTicket, openDesk, setPolicy, unitOnDuty, type Desk, type Stage, type Ticket } from './support.js';

// The supervisor's views over a day made of: two power, one water and one unclassified ticket
// left to breach every stage, a cancelled one, a repair ticket handled in time from start to end,
// another accepted in time and still open, and a gas ticket accepted after its assign breach.
let ctx: TestContext;
let desk: Desk;
const devices: Listener[] = [];
const breached: Ticket[] = [];
beforeAll(async () => {
  ctx = await build();
  desk = await openDesk(ctx);
  await setPolicy(desk.call, desk.admin, 'power', 'P1', { assignSec: 1, arriveSec: 1, resolveSec: 2 });
  await setPolicy(desk.call, desk.admin, 'water', 'P3', { assignSec: 1, arriveSec: 2, resolveSec: 3 });
  // Unclassified tickets are held to the police policy of their priority.
  await setPolicy(desk.call, desk.admin, 'police', 'P2', { assignSec: 1, arriveSec: 1, resolveSec: 2 });
  await setPolicy(desk.call, desk.admin, 'gas', 'P1', { assignSec: 1, arriveSec: 60, resolveSec: 120 });
  const repair = await unitOnDuty(ctx, desk, 'repair');
  const gas = await unitOnDuty(ctx, desk, 'gas');
  devices.push(repair.device, gas.device);

  for (const [category, priority] of [['power', 'P1'], ['power', 'P1'], ['water', 'P3'], ['unclassified', 'P2']] as const) {
    breached.push(await createTicket(desk.call, desk.operator, category, priority));
  }
  const cancelled = await createTicket(desk.call, desk.operator, 'water', 'P2');
  await expectOk(desk.call('POST', `/v1/tickets/${cancelled.id}/cancel`, { token: desk.dispatcher, body: { reason: 'caller hung up' } }));

  const handled = await createTicket(desk.call, desk.operator, 'repair', 'P2');
  const first = await accepted(repair.device, repair.token, handled.id);
  // Queued while the only repair unit is busy; resolving frees the unit, which is then offered it.
  const waiting = await createTicket(desk.call, desk.operator, 'repair', 'P2');
  for (const status of ['en_route', 'on_scene', 'resolved']) {
    await expectOk(desk.call('POST', `/v1/assignments/${first}/progress`, { token: repair.token, body: { status } }));
  }
  await accepted(repair.device, repair.token, waiting.id);

  const late = await createTicket(desk.call, desk.operator, 'gas', 'P1');
  await desk.board.waitFor(alertOf(late.id, 'assign', 'breach'));
  await accepted(gas.device, gas.token, late.id);
  breached.push(late);
  for (const ticket of breached.slice(0, 4)) {
    for (const stage of STAGES) await desk.board.waitFor(alertOf(ticket.id, stage, 'breach'));
  }
});
afterAll(async () => {
  desk?.board.close();
  for (const device of devices) device.close();
  await ctx?.close();
});

async function expectOk(response: Promise<{ status: number; body: unknown }>): Promise<void> {
  const res = await response;
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(res.body)}`);
}

/** Waits for the unit's offer of a ticket and accepts it; returns the assignment id. */
async function accepted(device: Listener, token: string, ticketId: string): Promise<string> {
  const offer = await device.waitFor((e) => e.type === 'assignment.offered' && (e.data as { ticket: Ticket }).ticket.id === ticketId);
  const id = (offer.data as { assignment: { id: string } }).assignment.id;
  await expectOk(desk.call('POST', `/v1/assignments/${id}/accept`, { token }));
  return id;
}

interface Breach { ticketId: string; number: string; stage: string; category: string; priority: string; dueAt: string; breachedAt: string; status: string }

/** Every breach row, newest first, ties broken as the contract's keyset does. */
async function breachRows(): Promise<Breach[]> {
  const { rows } = await ctx.db.query<Breach>(
    `SELECT a.ticket_id AS "ticketId", t.number, a.stage, a.category, a.priority, iso(a.due_at) AS "dueAt",
            iso(a.at) AS "breachedAt", t.status
     FROM sla_alerts a JOIN tickets t ON t.id = a.ticket_id WHERE a.kind = 'breach'
     ORDER BY a.at DESC, a.ticket_id DESC, a.stage DESC`);
  return rows;
}

async function allPages(query: string, limit: number): Promise<Breach[]> {
  const items: Breach[] = [];
  let cursor: string | null = null;
  do {
    const suffix: string = cursor ? `&cursor=${encodeURIComponent(cursor)}` : '';
    const res = await desk.call('GET', `/v1/sla/breaches?limit=${limit}${query}${suffix}`, { token: desk.dispatcher });
    expect(res.status).toBe(200);
    expect(res.body.items.length).toBeLessThanOrEqual(limit);
    items.push(...res.body.items);
    cursor = res.body.nextCursor;
  } while (cursor);
  return items;
}

describe('GET /v1/sla/breaches', () => {
  it('lists every breach and no warning, newest first, for supervisors and dispatchers only', async () => {
    const rows = await breachRows();
    expect(rows).toHaveLength(13);
    const res = await desk.call('GET', '/v1/sla/breaches', { token: desk.supervisor });
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ items: rows, nextCursor: null });
    const times = rows.map((row) => Date.parse(row.breachedAt));
    expect(times).toEqual([...times].sort((a, b) => b - a));

    expect((await desk.call('GET', '/v1/sla/breaches', { token: desk.dispatcher })).status).toBe(200);
    expect((await desk.call('GET', '/v1/sla/breaches', { token: desk.operator })).status).toBe(403);
    expect((await desk.call('GET', '/v1/sla/breaches')).status).toBe(401);
  });

  it('pages with a cursor, each breach exactly once', async () => {
    expect(await allPages('', 3)).toEqual(await breachRows());
    const bad = await desk.call('GET', '/v1/sla/breaches?cursor=bm90LWEtY3Vyc29y', { token: desk.supervisor });
    expect(bad.status).toBe(400);
  });

  it('filters by stage, category, priority and since, also across pages', async () => {
    const rows = await breachRows();
    const since = rows[4]!.breachedAt;
    const cases: Array<[string, (row: Breach) => boolean]> = [
      ['&stage=arrive', (row) => row.stage === 'arrive'],
      ['&category=water', (row) => row.category === 'water'],
      ['&category=unclassified', (row) => row.category === 'unclassified'],
      ['&priority=P1', (row) => row.priority === 'P1'],
      ['&stage=assign&category=gas', (row) => row.stage === 'assign' && row.category === 'gas'],
      [`&since=${encodeURIComponent(since)}`, (row) => Date.parse(row.breachedAt) >= Date.parse(since)],
    ];
    for (const [query, keep] of cases) {
      const expected = rows.filter(keep);
      expect(expected.length, query).toBeGreaterThan(0);
      expect(expected.length, query).toBeLessThan(rows.length);
      expect(await allPages(query, 2), query).toEqual(expected);
    }
  });
});

/** percentile_cont: linear interpolation between the closest ranks. */
function percentile(values: number[], p: number): number | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = p * (sorted.length - 1);
  const low = Math.floor(rank);
  const high = Math.ceil(rank);
  return sorted[low]! + (sorted[high]! - sorted[low]!) * (rank - low);
}

function tally<T>(items: T[], key: (item: T) => string): Record<string, number> {
  const counts: Record<string, number> = {};
  for (const item of items) counts[key(item)] = (counts[key(item)] ?? 0) + 1;
  return counts;
}

interface TicketTimes {
  status: string; category: string; priority: string; created: number;
  due: Record<Stage, number>; met: Record<Stage, number | null>;
}

async function ticketTimes(): Promise<TicketTimes[]> {
  const { rows } = await ctx.db.query(
    `SELECT status, category, priority, extract(epoch FROM created_at)::float8 AS created,
            extract(epoch FROM assign_due_at)::float8 AS assign_due, extract(epoch FROM arrive_due_at)::float8 AS arrive_due,
            extract(epoch FROM resolve_due_at)::float8 AS resolve_due, extract(epoch FROM accepted_at)::float8 AS assign_met,
            extract(epoch FROM on_scene_at)::float8 AS arrive_met, extract(epoch FROM resolved_at)::float8 AS resolve_met
     FROM tickets`);
  return rows.map((r) => ({
    status: r.status, category: r.category, priority: r.priority, created: r.created,
    due: { assign: r.assign_due, arrive: r.arrive_due, resolve: r.resolve_due },
    met: { assign: r.assign_met, arrive: r.arrive_met, resolve: r.resolve_met },
  }));
}

const OPEN = (status: string) => !['resolved', 'closed', 'cancelled', 'merged'].includes(status);
const dayIn = (timeZone: string, at: number) => new Intl.DateTimeFormat('en-CA', { timeZone }).format(at);

describe('GET /v1/stats', () => {
  it('adds up against the rows', async () => {
    const res = await desk.call('GET', '/v1/stats', { token: desk.supervisor });
    expect(res.status).toBe(200);
    const stats = res.body;
    const now = Date.parse(stats.generatedAt) / 1000;
    const tickets = await ticketTimes();

    const open = tickets.filter((t) => OPEN(t.status));
    expect(stats.open).toEqual({
      total: open.length, byStatus: tally(open, (t) => t.status),
      byCategory: tally(open, (t) => t.category), byPriority: tally(open, (t) => t.priority),
    });
    expect(stats.open.byStatus).toEqual({ queued: 4, accepted: 2 });

    const zone = ctx.config.ticketTimeZone;
    const today = (await breachRows()).filter((b) => dayIn(zone, Date.parse(b.breachedAt)) === dayIn(zone, now * 1000));
    expect(stats.breachesToday).toEqual({
      total: today.length, byStage: tally(today, (b) => b.stage), byCategory: tally(today, (b) => b.category),
    });
    expect(stats.breachesToday.total).toBe(13);

    const recent = tickets.filter((t) => t.created > now - 86400);
    for (const [field, stage] of [['timeToAcceptSec', 'assign'], ['timeToArriveSec', 'arrive']] as const) {
      const spans = recent.filter((t) => t.met[stage] !== null).map((t) => t.met[stage]! - t.created);
      expect(stats[field].count, field).toBe(spans.length);
      expect(stats[field].median, field).toBeCloseTo(percentile(spans, 0.5)!, 5);
      expect(stats[field].p90, field).toBeCloseTo(percentile(spans, 0.9)!, 5);
    }
    expect(stats.timeToAcceptSec.count).toBe(3);

    const counted = recent.filter((t) => t.status !== 'cancelled' && t.status !== 'merged');
    for (const stage of STAGES) {
      const decided = counted.filter((t) => t.met[stage] !== null || t.due[stage] <= now);
      const met = decided.filter((t) => t.met[stage] !== null && t.met[stage]! <= t.due[stage]);
      expect(stats.stagesMet[stage], stage).toEqual({
        met: met.length, decided: decided.length, share: Math.round((met.length / decided.length) * 10000) / 10000,
      });
    }
    expect(stats.stagesMet.assign).toMatchObject({ met: 2, decided: 7 });
  });

  it('is for supervisors only', async () => {
    for (const token of [desk.dispatcher, desk.operator, desk.admin]) {
      expect((await desk.call('GET', '/v1/stats', { token })).status).toBe(403);
    }
  });
});

/** Samples of a metric from Prometheus text, keyed by their labels in name order. */
function samples(text: string, name: string): Map<string, number> {
  const found = new Map<string, number>();
  for (const line of text.split('\n')) {
    const match = new RegExp(`^${name}(?:\\{(.*)\\})? (\\S+)$`).exec(line);
    if (!match) continue;
    const labels = (match[1] ?? '').split(',').filter(Boolean).sort().join(',');
    found.set(labels, Number(match[2]));
  }
  return found;
}

describe('GET /metrics', () => {
  it('counts every recorded warning and breach by kind, stage and category', async () => {
    const text = (await desk.call('GET', '/metrics')).body as string;
    const { rows } = await ctx.db.query<{ labels: string; n: number }>(
      `SELECT format('category="%s",kind="%s",stage="%s"', category, kind, stage) AS labels, count(*)::int AS n
       FROM sla_alerts GROUP BY 1`);
    expect(Object.fromEntries(samples(text, 'sla_alerts_total'))).toEqual(Object.fromEntries(rows.map((r) => [r.labels, r.n])));
  });

  it('gauges the live timers: one per open ticket with an alert still to come', async () => {
    // The gauge is refreshed by each reconciler pass, which raises no event: poll it, bounded.
    const deadline = Date.now() + 10000;
    let gauge: number | undefined;
    let expected = -1;
    while (gauge !== expected && Date.now() < deadline) {
      const text = (await desk.call('GET', '/metrics')).body as string;
      gauge = samples(text, 'sla_live_timers').get('');
      expected = await ticketsWithAlertsToCome();
      if (gauge !== expected) await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(gauge).toBe(expected);
    // The repair ticket waiting to arrive and the late gas call, accepted: 8 alerts still to come.
    expect(expected).toBe(2);
  });
});

/** Open tickets with an alert of an unmet stage not yet due: each has its one timer waiting in Redis. */
async function ticketsWithAlertsToCome(): Promise<number> {
  const now = Number((await ctx.db.query('SELECT extract(epoch FROM now())::float8 AS now')).rows[0].now);
  const toCome = (t: Awaited<ReturnType<typeof ticketTimes>>[number]) => STAGES.some((stage) => {
    const warning = t.created + (t.due[stage] - t.created) * 0.8;
    return t.met[stage] === null && [warning, t.due[stage]].some((at) => at > now);
  });
  return (await ticketTimes()).filter((ticket) => OPEN(ticket.status) && toCome(ticket)).length;
}
