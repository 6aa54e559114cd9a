import { describe, expect, it } from 'vitest';
import { api, freePort, spawnProcess } from '../helper.js';
import { assignmentUpdate, loseRedisData, offerOf, ticketRow, SPOT, dispatchSuite } from './support.js';

const s = dispatchSuite({ env: { OFFER_TIMEOUT_P1: '2' } });

describe('PostgreSQL is the source of truth for the queues', () => {
  it('routes a ticket committed while Redis was unreachable, and the API still answers', async () => {
    const unit = await s.crews.add('gas', SPOT);
    // An API process whose Redis is down: the commit stands, the routing job is never queued.
    const cut = await spawnProcess(s.ctx, ['api'], { REDIS_URL: `redis://127.0.0.1:${await freePort()}` });
    try {
      const created = await api(cut)('POST', '/v1/tickets', {
        token: s.d.operator,
        body: {
          caller: { phone: '13800000001' }, location: SPOT, description: 'gas smell on the stairs', category: 'gas', priority: 'P2',
        },
      });
      expect(created.status).toBe(201);
      expect(created.body.status).toBe('queued');
      // The row is there: committed. Its status is not asserted, since the reconciler (every
      // 500 ms here) may already have routed it by the time this query runs.
      expect(await ticketRow(s.ctx, created.body.id)).toMatchObject({ category: 'gas' });

      // Only the worker's reconciler, reading PostgreSQL, can have routed it.
      expect((await offerOf(unit, created.body.id)).assignment.unitId).toBe(unit.unit.id);
    } finally {
      // Its shutdown is not under test here (with Redis unreachable it takes the 15 s forced path).
      await cut.stop('SIGKILL');
    }
  });

  it('expires an offer whose timer Redis lost', async () => {
    const unit = await s.crews.add('water', SPOT);
    const created = await s.d.call('POST', '/v1/tickets', {
      token: s.d.operator,
      body: { caller: { phone: '13800000002' }, location: SPOT, description: 'burst main', category: 'water', priority: 'P1' },
    });
    const offer = await offerOf(unit, created.body.id);

    await loseRedisData(s.ctx);

    const expired = await assignmentUpdate(unit, offer.assignment.id, 'expired');
    expect(expired.ticket.status).toBe('queued');
  });

  it('keeps one copy of a job added twice under the same id', async () => {
    const queue = s.ctx.system.services.jobs.queue('dispatch');
    const payload = { assignmentId: '00000000-0000-4000-8000-000000000001' };
    const job = { name: 'expire' as const, payload, runAt: Date.now() + 3_600_000 };
    await s.ctx.system.services.jobs.add([job]);
    await s.ctx.system.services.jobs.add([job]);

    const delayed = await queue.getDelayed();
    expect(delayed.filter((j) => j.data.assignmentId === payload.assignmentId)).toHaveLength(1);
    await s.ctx.system.services.jobs.remove([job]);
  });
});
