import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, createUser, type TestContext } from '../helper.js';
import {
  DUE_FIELD, STAGES, alertAt, alertOf, alertsSeen, createTicket, openDesk, setPolicy, timerFiresAt, expectDueAt, type Desk, type Policy, type Ticket,
} from './support.js';

let ctx: TestContext;
let desk: Desk;
beforeAll(async () => {
  // Timers only: a periodic sweep would hide a timer that fires at the wrong time.
  ctx = await build({ env: { RECONCILE_INTERVAL_MS: '600000' } });
  desk = await openDesk(ctx);
});
afterAll(async () => {
  desk?.board.close();
  await ctx?.close();
});

/** CONTRACT §5 SLA: police and the five utilities, per priority. */
const POLICE: Record<string, Policy> = {
  P1: { assignSec: 60, arriveSec: 300, resolveSec: 7200 },
  P2: { assignSec: 180, arriveSec: 900, resolveSec: 86400 },
  P3: { assignSec: 600, arriveSec: 3600, resolveSec: 259200 },
};
const UTILITY: Record<string, Policy> = {
  P1: { assignSec: 120, arriveSec: 1800, resolveSec: 14400 },
  P2: { assignSec: 600, arriveSec: 7200, resolveSec: 86400 },
  P3: { assignSec: 1800, arriveSec: 86400, resolveSec: 259200 },
};

const SECONDS = { assign: 'assignSec', arrive: 'arriveSec', resolve: 'resolveSec' } as const;

/** Each due time is the creation time plus the policy's seconds for its stage. */
function expectDues(ticket: Ticket, policy: Policy): void {
  const created = Date.parse(ticket.createdAt);
  for (const stage of STAGES) {
    expect(Date.parse(ticket.sla[DUE_FIELD[stage]]) - created, stage).toBe(policy[SECONDS[stage]] * 1000);
  }
}

async function readTicket(id: string) {
  const res = await desk.call('GET', `/v1/tickets/${id}`, { token: desk.supervisor });
  expect(res.status).toBe(200);
  return res.body as Ticket & { events: Array<{ action: string; details: Record<string, string> }> };
}

describe('SLA policies', () => {
  it('are seeded with the contract defaults and readable by every staff role only', async () => {
    const res = await desk.call('GET', '/v1/sla/policies', { token: desk.operator });
    expect(res.status).toBe(200);
    const expected = ['police', 'water', 'power', 'gas', 'heating', 'repair'].flatMap((category) =>
      ['P1', 'P2', 'P3'].map((priority) => ({ category, priority, ...(category === 'police' ? POLICE : UTILITY)[priority] })));
    expect(res.body.map(({ updatedAt: _, ...rest }: { updatedAt: string }) => rest))
      .toEqual(expect.arrayContaining(expected));
    expect(res.body).toHaveLength(18);

    for (const token of [desk.admin, desk.dispatcher, desk.supervisor]) {
      expect((await desk.call('GET', '/v1/sla/policies', { token })).status).toBe(200);
    }
    const responder = await createUser(ctx, 'responder',
      (await desk.call('POST', '/v1/units', { token: desk.admin, body: { callsign: 'W-9', type: 'water' } })).body.id);
    expect((await desk.call('GET', '/v1/sla/policies', { token: responder.token })).status).toBe(403);
    expect((await desk.call('GET', '/v1/sla/policies')).status).toBe(401);
  });

  it('an unclassified ticket is held to the police policy of its priority', async () => {
    const ticket = await createTicket(desk.call, desk.operator, 'unclassified', 'P2');
    expectDues(ticket, POLICE.P2!);
  });

  it('only an admin sets a policy, and stages must nest', async () => {
    const path = '/v1/sla/policies/heating/P3';
    const body = { assignSec: 900, arriveSec: 4000, resolveSec: 200000 };
    expect((await desk.call('PUT', path, { token: desk.dispatcher, body })).status).toBe(403);
    expect((await desk.call('PUT', path, { token: desk.supervisor, body })).status).toBe(403);

    const unnested = await desk.call('PUT', path, { token: desk.admin, body: { ...body, assignSec: 5000 } });
    expect(unnested.status).toBe(400);
    expect(unnested.body.code).toBe('validation_failed');
    for (const bad of [{ ...body, assignSec: 0 }, { ...body, resolveSec: 1.5 }, { assignSec: 1, arriveSec: 2 }]) {
      expect((await desk.call('PUT', path, { token: desk.admin, body: bad })).status).toBe(400);
    }
    expect((await desk.call('PUT', '/v1/sla/policies/unclassified/P3', { token: desk.admin, body })).status).toBe(400);

    const set = await desk.call('PUT', path, { token: desk.admin, body });
    expect(set.status).toBe(200);
    expect(set.body).toMatchObject({ category: 'heating', priority: 'P3', ...body });
    const listed = (await desk.call('GET', '/v1/sla/policies', { token: desk.supervisor })).body;
    expect(listed.find((p: Policy & { category: string; priority: string }) => p.category === 'heating' && p.priority === 'P3'))
      .toMatchObject(body);
  });

  it('a policy change applies to tickets created after it, never to earlier ones', async () => {
    const before = await createTicket(desk.call, desk.operator, 'police', 'P3');
    expectDues(before, POLICE.P3!);
    const changed = { assignSec: 700, arriveSec: 4000, resolveSec: 300000 };
    await setPolicy(desk.call, desk.admin, 'police', 'P3', changed);

    const after = await createTicket(desk.call, desk.operator, 'police', 'P3');
    expectDues(after, changed);
    const reread = await readTicket(before.id);
    expect(reread.sla).toMatchObject({
      assignDueAt: before.sla.assignDueAt, arriveDueAt: before.sla.arriveDueAt, resolveDueAt: before.sla.resolveDueAt,
    });
    expect(reread.events.map((e) => e.action)).not.toContain('sla_recomputed');
  });

  it('a re-categorisation recomputes the due times from the creation time, says so, and re-times the alerts', async () => {
    const slow = { assignSec: 600, arriveSec: 1200, resolveSec: 1800 };
    const fast = { assignSec: 3, arriveSec: 4, resolveSec: 5 };
    await setPolicy(desk.call, desk.admin, 'gas', 'P1', slow);
    await setPolicy(desk.call, desk.admin, 'repair', 'P1', fast);

    // First a fast ticket made slow: its old schedule must raise nothing.
    const slowed = await createTicket(desk.call, desk.operator, 'repair', 'P1');
    const slowedPatch = await desk.call('PATCH', `/v1/tickets/${slowed.id}`, { token: desk.operator, body: { category: 'gas' } });
    expect(slowedPatch.status).toBe(200);
    expect(slowedPatch.body.createdAt).toBe(slowed.createdAt);
    expectDues(slowedPatch.body, slow);
    expectDueAt(await timerFiresAt(ctx, slowed.id), alertAt(slowedPatch.body, 'assign', 'warning'));

    // Then a slow ticket made fast: alerts on the new schedule, counted from its creation.
    const hastened = await createTicket(desk.call, desk.operator, 'gas', 'P1');
    const patched = await desk.call('PATCH', `/v1/tickets/${hastened.id}`, { token: desk.dispatcher, body: { category: 'repair' } });
    expect(patched.status).toBe(200);
    expectDues(patched.body, fast);
    const audit = (await readTicket(hastened.id)).events.filter((e) => e.action === 'sla_recomputed');
    expect(audit).toHaveLength(1);
    for (const stage of STAGES) {
      expect(Date.parse(audit[0]!.details[DUE_FIELD[stage]]!)).toBe(Date.parse(patched.body.sla[DUE_FIELD[stage]]));
    }

    for (const stage of STAGES) {
      const warning = await desk.board.waitFor(alertOf(hastened.id, stage, 'warning'));
      expect((warning.data as { dueAt: string }).dueAt).toBe(patched.body.sla[DUE_FIELD[stage]]);
      expect(Date.parse(warning.at)).toBeGreaterThanOrEqual(alertAt(patched.body, stage, 'warning'));
    }
    // The hastened ticket, created after the slowed one, breaches its last stage after every
    // alert of the slowed ticket's old schedule would have come.
    await desk.board.waitFor(alertOf(hastened.id, 'resolve', 'breach'));
    expect(alertsSeen(desk.board, slowed.id)).toEqual([]);
  });
});
