import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, freePort, spawnProcess, type TestContext } from '../helper.js';
import { assignmentUpdate, desk, loseRedisData, offerOf, roster, ticketRow, type Desk, type Roster, SPOT } from './support.js';

let ctx: TestContext;
let d: Desk;
let crews: Roster;

beforeAll(async () => {
  ctx = await build({ env: { OFFER_TIMEOUT_P1: '2' } });
  d = await desk(ctx);
  crews = roster(ctx, d);
});
afterAll(async () => {
  crews?.close();
  await ctx?.close();
});


describe('PostgreSQL is the source of truth for the queues', () => {
  it('routes a ticket committed while Redis was unreachable, and the API still answers', async () => {
    const unit = await crews.add('gas', SPOT);
    // An API process whose Redis is down: the commit stands, the routing job is never queued.
    const cut = await spawnProcess(ctx, ['api'], { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      const created = await api(cut)('POST', '/v1/tickets', {
        token: d.operator,
        body: {
          caller: { phone: '13800000001' }, location: SPOT, description: 'gas smell on the stairs', category: 'gas', priority: 'P2',
        },
      });
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('queued');
      // The row is there: committed. Its status is not asserted, since the reconciler (every
      // 500 ms here) may already have routed it by the time this query runs.
      expect(await ticketRow(ctx, created.body.id)).toMatchObject({ category: 'gas' });

      // Only the worker's reconciler, reading PostgreSQL, can have routed it.
      expect((await offerOf(unit, created.body.id)).assignment.unitId).toBe(unit.unit.id);
    } finally {
      // Its shutdown is not under test here (with Redis unreachable it takes the 15 s forced path).
      await cut.stop('SIGKILL');
    }
  });

  it('expires an offer whose timer Redis lost', async () => {
    const unit = await crews.add('water', SPOT);
    const created = await d.call('POST', '/v1/tickets', {
      token: d.operator,
      body: { caller: { phone: '13800000002' }, location: SPOT, description: 'burst main', category: 'water', priority: 'P1' },
    });
    const offer = await offerOf(unit, created.body.id);

    await loseRedisData(ctx);

    const expired = await assignmentUpdate(unit, offer.assignment.id, 'expired');
    expect(expired.ticket.status).toBe('queued');
  });

  it('keeps one copy of a job added twice under the same id', async () => {
    const queue = ctx.system.services.jobs.queue('dispatch');
    const payload = { assignmentId: '00000000-0000-4000-8000-000000000001' };
    const job = { name: 'expire' as const, payload, runAt: Date.now() + 3_600_000 };
    await ctx.system.services.jobs.add([job]);
    await ctx.system.services.jobs.add([job]);

    const delayed = await queue.getDelayed();
    expect(delayed.filter((j) => j.data.assignmentId === payload.assignmentId)).toHaveLength(1);
    await ctx.system.services.jobs.remove([job]);
  });
});
