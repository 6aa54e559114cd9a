import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { jobId } from '../../src/jobs/registry.js';
import { api, build, createUser, type TestContext } from '../helper.js';
import { alertAt, createTicket, loseRedisKeys, timerFiresAt, expectDueAt, type Ticket } from './support.js';

// API only: no worker runs a timer or a reconciler pass, so Redis holds exactly what the
// re-arm under test puts back.
let ctx: TestContext;
beforeAll(async () => { ctx = await build({ roles: ['api'] }); });
afterAll(async () => { await ctx?.close(); });

/** More open tickets than one re-arm page holds. */
const OPEN_TICKETS = 700;

describe('re-arming SLA timers from PostgreSQL', () => {
  it('puts back the timer of every open ticket, due at its first alert, across pages', async () => {
    const call = api(ctx);
    const [operator, dispatcher] = await Promise.all([createUser(ctx, 'operator'), createUser(ctx, 'dispatcher')]);
    const tickets: Ticket[] = [];
    while (tickets.length < OPEN_TICKETS + 5) {
      tickets.push(...await Promise.all(Array.from({ length: 15 }, () => createTicket(call, operator.token, 'police', 'P3'))));
    }
    const ended = tickets.slice(OPEN_TICKETS);
    for (const ticket of ended) {
      expect((await call('POST', `/v1/tickets/${ticket.id}/cancel`, { token: dispatcher.token, body: { reason: 'test' } })).status).toBe(200);
    }
    const open = tickets.slice(0, OPEN_TICKETS);

    // Not FLUSHALL: other engineers' tests share this Redis; this system's keys are its prefix.
    await loseRedisKeys(ctx.redis, ctx.prefix);
    const queue = ctx.system.services.jobs.queue('sla');
    expect(await queue.getDelayedCount()).toBe(0);

    expect(await ctx.system.services.sla.rearm()).toBe(open.length);
    expect(await queue.getDelayedCount()).toBe(open.length);
    const ids = new Set((await queue.getDelayed(0, -1)).map((job) => job.id));
    expect(open.map((t) => jobId.slaTimer({ ticketId: t.id })).filter((id) => !ids.has(id))).toEqual([]);
    for (const ticket of [open[0]!, open[open.length - 1]!]) {
      expectDueAt(await timerFiresAt(ctx, ticket.id), alertAt(ticket, 'assign', 'warning'));
    }
    for (const ticket of ended) expect(await timerFiresAt(ctx, ticket.id)).toBeNull();
  }, 120000);
});
