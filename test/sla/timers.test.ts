import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slaTimerRef } from '../../src/sla/timers.js';
import { build, type TestContext } from '../helper.js';
import {
  DUE_FIELD, STAGES, alertAt, alertOf, alertRows, alertsSeen, createTicket, openDesk, setPolicy, timerFiresAt, expectDueAt,
  timerWaitsUntil, unitOnDuty, type Desk,
} from './support.js';

// Second-scale policies are global per (category, priority): each test here owns its pairs.
let ctx: TestContext;
let desk: Desk;
beforeAll(async () => {
  // No periodic sweep: it would record whatever the timers miss, and these tests are about the
  // timers. Where a test needs a sweep, it runs one itself.
  ctx = await build({ env: { RECONCILE_INTERVAL_MS: '600000' } });
  desk = await openDesk(ctx);
});
afterAll(async () => {
  desk?.board.close();
  await ctx?.close();
});

describe('SLA timers', () => {
  it('an unmet stage warns at 80 % and breaches at 100 % of its time, each once', async () => {
    await setPolicy(desk.call, desk.admin, 'water', 'P2', { assignSec: 2, arriveSec: 3, resolveSec: 4 });
    const ticket = await createTicket(desk.call, desk.operator, 'water', 'P2');
    // One timer for the ticket, due at its first alert; it waits again after each.
    expectDueAt(await timerFiresAt(ctx, ticket.id), alertAt(ticket, 'assign', 'warning'));

    for (const stage of STAGES) {
      const dueAt = ticket.sla[DUE_FIELD[stage]];
      const warning = await desk.board.waitFor(alertOf(ticket.id, stage, 'warning'));
      expect(warning.data).toEqual({ ticketId: ticket.id, number: ticket.number, stage, dueAt });
      expect(Date.parse(warning.at)).toBeGreaterThanOrEqual(alertAt(ticket, stage, 'warning'));

      const breach = await desk.board.waitFor(alertOf(ticket.id, stage, 'breach'));
      expect(Date.now()).toBeGreaterThanOrEqual(Date.parse(dueAt));
      const data = breach.data as { breachedAt: string };
      expect(breach.data).toEqual({ ticketId: ticket.id, number: ticket.number, stage, dueAt, breachedAt: data.breachedAt });
      expect(Date.parse(data.breachedAt)).toBeGreaterThanOrEqual(Date.parse(dueAt));
      expect(Date.parse(breach.at)).toBeGreaterThanOrEqual(Date.parse(dueAt));
    }

    expect(alertsSeen(desk.board, ticket.id).sort()).toEqual(
      ['arrive/breach', 'arrive/warning', 'assign/breach', 'assign/warning', 'resolve/breach', 'resolve/warning']);
    expect(await alertRows(ctx, ticket.id)).toHaveLength(6);
    const read = (await desk.call('GET', `/v1/tickets/${ticket.id}`, { token: desk.supervisor })).body;
    expect(read.sla.breaches.map((b: { stage: string; dueAt: string }) => [b.stage, b.dueAt])).toEqual(
      STAGES.map((stage) => [stage, ticket.sla[DUE_FIELD[stage]]]));
  });

  it('a stage met before its warning raises nothing when the timer fires for it, and the timer goes on', async () => {
    await setPolicy(desk.call, desk.admin, 'gas', 'P2', { assignSec: 4, arriveSec: 7, resolveSec: 20 });
    const { token, device } = await unitOnDuty(ctx, desk, 'gas');
    const ticket = await createTicket(desk.call, desk.operator, 'gas', 'P2');
    const offered = await device.waitFor((e) => e.type === 'assignment.offered');
    const assignmentId = (offered.data as { assignment: { id: string } }).assignment.id;
    expect((await desk.call('POST', `/v1/assignments/${assignmentId}/accept`, { token })).status).toBe(200);
    // Meeting a stage leaves the timer where it was: it fires at the assign warning and finds it met.
    expectDueAt(await timerFiresAt(ctx, ticket.id), alertAt(ticket, 'assign', 'warning'));

    // The arrive breach comes 3 s after the assign breach would have: an explicit sweep then
    // covers any assign alert more than its grace overdue.
    await desk.board.waitFor(alertOf(ticket.id, 'arrive', 'breach'));
    await ctx.system.services.sla.sweep();
    expect(await alertRows(ctx, ticket.id)).toEqual(['arrive/breach', 'arrive/warning']);
    expect(alertsSeen(desk.board, ticket.id).filter((alert) => alert.startsWith('assign/'))).toEqual([]);
    expectDueAt(await timerWaitsUntil(ctx, ticket.id, alertAt(ticket, 'resolve', 'warning')), alertAt(ticket, 'resolve', 'warning'));
    device.close();
  });

  it('a cancelled or merged ticket raises nothing and its timers leave Redis', async () => {
    await setPolicy(desk.call, desk.admin, 'power', 'P1', { assignSec: 3, arriveSec: 4, resolveSec: 5 });
    await setPolicy(desk.call, desk.admin, 'power', 'P2', { assignSec: 7, arriveSec: 7, resolveSec: 7 });
    const cancelled = await createTicket(desk.call, desk.operator, 'power', 'P1');
    const merged = await createTicket(desk.call, desk.operator, 'power', 'P1');
    const survivor = await createTicket(desk.call, desk.operator, 'power', 'P1');
    const later = await createTicket(desk.call, desk.operator, 'power', 'P2');

    expect((await desk.call('POST', `/v1/tickets/${cancelled.id}/cancel`, { token: desk.dispatcher, body: { reason: 'hoax' } })).status).toBe(200);
    expect((await desk.call('POST', `/v1/tickets/${merged.id}/merge`, { token: desk.dispatcher, body: { into: survivor.id } })).status).toBe(200);
    expect(await timerFiresAt(ctx, cancelled.id)).toBeNull();
    expect(await timerFiresAt(ctx, merged.id)).toBeNull();
    expect(await timerFiresAt(ctx, survivor.id)).not.toBeNull();

    // The survivor, created after both, breaches every stage; the later ticket's breach comes
    // after the sweep grace of the others' last breach, and an explicit sweep follows it.
    await desk.board.waitFor(alertOf(survivor.id, 'resolve', 'breach'));
    await desk.board.waitFor(alertOf(later.id, 'assign', 'breach'));
    await ctx.system.services.sla.sweep();
    expect(await alertRows(ctx, survivor.id)).toHaveLength(6);
    for (const ended of [cancelled, merged]) {
      expect(await alertRows(ctx, ended.id)).toEqual([]);
      expect(alertsSeen(desk.board, ended.id)).toEqual([]);
    }
  });

  it('a ticket whose timer was lost gets it back from the sweep that records its overdue alert', async () => {
    await setPolicy(desk.call, desk.admin, 'heating', 'P2', { assignSec: 1, arriveSec: 60, resolveSec: 120 });
    await setPolicy(desk.call, desk.admin, 'heating', 'P3', { assignSec: 4, arriveSec: 60, resolveSec: 120 });
    const lost = await createTicket(desk.call, desk.operator, 'heating', 'P2');
    await ctx.system.services.jobs.remove([slaTimerRef(lost.id)]);
    expect(await timerFiresAt(ctx, lost.id)).toBeNull();

    // The sentinel's assign breach comes after the lost ticket's is past the sweep's grace.
    const sentinel = await createTicket(desk.call, desk.operator, 'heating', 'P3');
    await desk.board.waitFor(alertOf(sentinel.id, 'assign', 'breach'));
    expect(alertsSeen(desk.board, lost.id)).toEqual([]);
    await ctx.system.services.sla.sweep();
    expect(await alertRows(ctx, lost.id)).toEqual(['assign/breach', 'assign/warning']);
    expectDueAt(await timerFiresAt(ctx, lost.id), alertAt(lost, 'arrive', 'warning'));
  });
});
