import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobHandlers } from '../../src/services.js';
import { slaTimerRef } from '../../src/sla/timers.js';
import { build, type System, type TestContext } from '../helper.js';
import { KINDS, STAGES, alertOf, createTicket, openDesk, setPolicy, type Desk, type Ticket } from './support.js';

let ctx: TestContext;
let second: System;
let desk: Desk;
beforeAll(async () => {
  // No periodic sweep: the test itself races sweeps against timers and replays, at a moment it
  // chooses, instead of a background pass recording the lost alerts first.
  ctx = await build({ env: { RECONCILE_INTERVAL_MS: '600000' } });
  second = await ctx.startInstance(['worker']);
  desk = await openDesk(ctx);
});
afterAll(async () => {
  desk?.board.close();
  await ctx?.close();
});

const keyOf = (ticketId: string, stage: string, kind: string) => `${ticketId}/${stage}/${kind}`;

/** How many times each alert was pushed to the supervisor's socket. */
function pushes(ticketIds: Set<string>): Map<string, number> {
  const counts = new Map<string, number>();
  for (const event of desk.board.events) {
    if (event.type !== 'sla.warning' && event.type !== 'sla.breached') continue;
    const data = event.data as { ticketId: string; stage: string };
    if (!ticketIds.has(data.ticketId)) continue;
    const key = keyOf(data.ticketId, data.stage, event.type === 'sla.warning' ? 'warning' : 'breach');
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

describe('SLA alerts are recorded and pushed exactly once', () => {
  it('with two workers, every timer replayed on both and sweeps racing the replays', async () => {
    await setPolicy(desk.call, desk.admin, 'police', 'P1', { assignSec: 3, arriveSec: 4, resolveSec: 5 });
    await setPolicy(desk.call, desk.admin, 'water', 'P1', { assignSec: 7, arriveSec: 7, resolveSec: 7 });
    // Half the tickets lose their timers, as a Redis that dropped them would: only a sweep or a
    // replay can record their alerts. The other half keep theirs, and both workers compete for them.
    const lost = await Promise.all(Array.from({ length: 6 }, async () => {
      const ticket = await createTicket(desk.call, desk.operator, 'police', 'P1');
      await ctx.system.services.jobs.remove([slaTimerRef(ticket.id)]);
      return ticket;
    }));
    const kept = await Promise.all(Array.from({ length: 6 }, () => createTicket(desk.call, desk.operator, 'police', 'P1')));
    const tickets = [...lost, ...kept];
    const sentinel = await createTicket(desk.call, desk.operator, 'water', 'P1');

    // Created last, the sentinel breaches after every police alert is past the sweep's grace.
    await desk.board.waitFor(alertOf(sentinel.id, 'assign', 'breach'));
    const byTimers = async (group: Ticket[]) =>
      (await ctx.db.query('SELECT 1 FROM sla_alerts WHERE ticket_id = ANY($1::uuid[])', [group.map((t) => t.id)])).rowCount;
    expect(await byTimers(lost)).toBe(0);
    expect(await byTimers(kept)).toBe(6 * 6);

    const replays = [ctx.system, second].flatMap((system) => {
      const handlers = jobHandlers(system.services);
      // As often as the ticket has alerts, as if every firing were replayed.
      return tickets.flatMap((t) => STAGES.flatMap(() => KINDS.map(() => handlers.slaTimer({ ticketId: t.id }))));
    });
    const sweeps = [ctx.system, second, ctx.system, second].map((system) => system.services.sla.sweep());
    await Promise.all([...replays, ...sweeps]);

    const expected = tickets.flatMap((t) => STAGES.flatMap((stage) => KINDS.map((kind) => keyOf(t.id, stage, kind))));
    for (const t of tickets) {
      for (const stage of STAGES) for (const kind of KINDS) await desk.board.waitFor(alertOf(t.id, stage, kind));
    }
    // Any duplicate was committed before this ticket's event, so it would have arrived by now.
    const marker = await createTicket(desk.call, desk.operator, 'water', 'P2');
    await desk.board.waitFor((e) => e.type === 'ticket.created' && (e.data as Ticket).id === marker.id);

    const ids = new Set(tickets.map((t) => t.id));
    const counts = pushes(ids);
    expect([...counts.keys()].sort()).toEqual([...expected].sort());
    expect([...counts.values()].every((n) => n === 1)).toBe(true);

    const { rows } = await ctx.db.query<{ key: string; n: number }>(
      `SELECT ticket_id || '/' || stage || '/' || kind AS key, count(*)::int AS n FROM sla_alerts
       WHERE ticket_id = ANY($1::uuid[]) GROUP BY 1`, [[...ids]]);
    expect(rows.map((r) => r.key).sort()).toEqual([...expected].sort());
    expect(rows.every((r) => r.n === 1)).toBe(true);
    const logged = await ctx.db.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM events WHERE type IN ('sla.warning', 'sla.breached') AND data->>'ticketId' = ANY($1)`,
      [[...ids]]);
    expect(logged.rows[0]!.n).toBe(expected.length);

    // Each process counts what it recorded; together, once per alert.
    const counted = await Promise.all([ctx.system, second].map((system) => policeAlerts(system)));
    expect(counted.reduce((a, b) => a + b, 0)).toBe(expected.length);
  });
});

async function policeAlerts(system: System): Promise<number> {
  const metric = await system.services.metrics.slaAlerts.get();
  return metric.values.filter((v) => v.labels.category === 'police').reduce((sum, v) => sum + v.value, 0);
}
