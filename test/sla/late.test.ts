import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type TestContext } from '../helper.js';
import { STAGES, alertOf, alertRows, createTicket, openDesk, setPolicy, unitOnDuty, untilPast, type Desk, type Ticket } from './support.js';

// The instance is API only: no timer, sweep or relay runs, as while the workers are down or far
// behind. Whatever alerts exist afterwards were recorded by the operations themselves.
let ctx: TestContext;
let desk: Desk;
let responder: Awaited<ReturnType<typeof unitOnDuty>>;
let late: Ticket;
let cancelled: Ticket;
let early: Ticket;
beforeAll(async () => {
  ctx = await build({ roles: ['api'] });
  desk = await openDesk(ctx);
  await setPolicy(desk.call, desk.admin, 'gas', 'P1', { assignSec: 1, arriveSec: 2, resolveSec: 3 });
  await setPolicy(desk.call, desk.admin, 'water', 'P2', { assignSec: 1, arriveSec: 3600, resolveSec: 7200 });
  await setPolicy(desk.call, desk.admin, 'power', 'P2', { assignSec: 3600, arriveSec: 7200, resolveSec: 14400 });
  responder = await unitOnDuty(ctx, desk, 'gas');
  late = await createTicket(desk.call, desk.operator, 'gas', 'P1');
  cancelled = await createTicket(desk.call, desk.operator, 'water', 'P2');
  early = await createTicket(desk.call, desk.operator, 'power', 'P2');
  await untilPast(ctx, [late.sla.resolveDueAt, cancelled.sla.assignDueAt]);

  const assignment = await offered(late.id, responder.unit.id);
  await ok(desk.call('POST', `/v1/assignments/${assignment}/accept`, { token: responder.token }));
  for (const status of ['en_route', 'on_scene', 'resolved']) {
    await ok(desk.call('POST', `/v1/assignments/${assignment}/progress`, { token: responder.token, body: { status } }));
  }
  await ok(desk.call('POST', `/v1/tickets/${cancelled.id}/cancel`, { token: desk.dispatcher, body: { reason: 'caller fixed the valve' } }));
  await ok(desk.call('PATCH', `/v1/tickets/${early.id}`, { token: desk.operator, body: { description: 'power out on the 3rd floor' } }));
});
afterAll(async () => {
  desk?.board.close();
  responder?.device.close();
  await ctx?.close();
});

/** A dispatcher offers the ticket to the unit; returns the assignment id. */
async function offered(ticketId: string, unitId: string): Promise<string> {
  const res = await desk.call('POST', `/v1/tickets/${ticketId}/assign`, { token: desk.dispatcher, body: { unitId } });
  if (res.status !== 200) throw new Error(`not offered: ${res.status} ${JSON.stringify(res.body)}`);
  return (res.body as { assignment: { id: string } }).assignment.id;
}

async function ok(response: Promise<{ status: number; body: unknown }>): Promise<void> {
  const res = await response;
  if (res.status !== 200) throw new Error(`expected 200, got ${res.status}: ${JSON.stringify(res.body)}`);
}

describe('a stage met after its alert came due, with no timer running', () => {
  it('a ticket handled late owes every warning and breach it ran past, recorded by the steps that met the stages', async () => {
    expect(await alertRows(ctx, late.id)).toEqual([
      'arrive/breach', 'arrive/warning', 'assign/breach', 'assign/warning', 'resolve/breach', 'resolve/warning',
    ]);
  });

  it('a ticket cancelled after its assign breach owes that stage only', async () => {
    expect(await alertRows(ctx, cancelled.id)).toEqual(['assign/breach', 'assign/warning']);
  });

  it('an edit before anything is due records nothing', async () => {
    expect(await alertRows(ctx, early.id)).toEqual([]);
  });

  it('a stage met in time stays met: re-accepted late after a reassignment, it owes nothing', async () => {
    await setPolicy(desk.call, desk.admin, 'power', 'P1', { assignSec: 2, arriveSec: 3600, resolveSec: 7200 });
    const first = await unitOnDuty(ctx, desk, 'power');
    const second = await unitOnDuty(ctx, desk, 'power');
    try {
      const ticket = await createTicket(desk.call, desk.operator, 'power', 'P1');
      await ok(desk.call('POST', `/v1/assignments/${await offered(ticket.id, first.unit.id)}/accept`, { token: first.token }));
      const reassigned = await offered(ticket.id, second.unit.id);
      await untilPast(ctx, [ticket.sla.assignDueAt]);
      await ok(desk.call('POST', `/v1/assignments/${reassigned}/accept`, { token: second.token }));
      expect(await alertRows(ctx, ticket.id)).toEqual([]);
    } finally {
      first.device.close();
      second.device.close();
    }
  });

  it('a correction that shortens a stage already met owes nothing for it', async () => {
    await setPolicy(desk.call, desk.admin, 'heating', 'P3', { assignSec: 3600, arriveSec: 7200, resolveSec: 14400 });
    await setPolicy(desk.call, desk.admin, 'heating', 'P1', { assignSec: 1, arriveSec: 3600, resolveSec: 7200 });
    const crew = await unitOnDuty(ctx, desk, 'heating');
    try {
      const ticket = await createTicket(desk.call, desk.operator, 'heating', 'P3');
      await untilPast(ctx, [new Date(Date.parse(ticket.createdAt) + 1200).toISOString()]);
      await ok(desk.call('POST', `/v1/assignments/${await offered(ticket.id, crew.unit.id)}/accept`, { token: crew.token }));
      // Under P1 the assign stage was due a second after creation, before it was met.
      await ok(desk.call('PATCH', `/v1/tickets/${ticket.id}`, { token: desk.operator, body: { priority: 'P1' } }));
      expect(await alertRows(ctx, ticket.id)).toEqual([]);
    } finally {
      crew.device.close();
    }
  });

  it('a device acknowledging an offer after its alerts came due records them, and the metrics count them', async () => {
    await setPolicy(desk.call, desk.admin, 'repair', 'P2', { assignSec: 1, arriveSec: 3600, resolveSec: 7200 });
    const crew = await unitOnDuty(ctx, desk, 'repair');
    try {
      const before = await repairAlertsCounted();
      const ticket = await createTicket(desk.call, desk.operator, 'repair', 'P2');
      const assignment = await offered(ticket.id, crew.unit.id);
      await untilPast(ctx, [ticket.sla.assignDueAt]);
      expect(await crew.device.socket.timeout(5000).emitWithAck('assignment.ack', { assignmentId: assignment })).toEqual({ ok: true });
      expect(await alertRows(ctx, ticket.id)).toEqual(['assign/breach', 'assign/warning']);
      expect(await repairAlertsCounted()).toBe(before + 2);
    } finally {
      crew.device.close();
    }
  });

  it('supervisors see each breach, due when its stage was due, once a worker relays the events', async () => {
    await ctx.startInstance(['worker']);
    const seen = await Promise.all([
      ...STAGES.map((stage) => desk.board.waitFor(alertOf(late.id, stage, 'breach'))),
      desk.board.waitFor(alertOf(cancelled.id, 'assign', 'breach')),
    ]);
    expect(seen.map((e) => (e.data as { dueAt: string }).dueAt)).toEqual([
      late.sla.assignDueAt, late.sla.arriveDueAt, late.sla.resolveDueAt, cancelled.sla.assignDueAt,
    ]);
    const lateBreaches = desk.board.events.filter((e) => e.type === 'sla.breached' && (e.data as { ticketId: string }).ticketId === late.id);
    expect(lateBreaches).toHaveLength(3);
  });

  it('the breach list shows them', async () => {
    const res = await desk.call('GET', '/v1/sla/breaches?limit=50', { token: desk.supervisor });
    expect(res.status).toBe(200);
    const items = (res.body as { items: Array<{ ticketId: string; stage: string }> }).items;
    expect(items.filter((b) => b.ticketId === late.id).map((b) => b.stage).sort()).toEqual(['arrive', 'assign', 'resolve']);
    expect(items.filter((b) => b.ticketId === cancelled.id).map((b) => b.stage)).toEqual(['assign']);
  });
});

async function repairAlertsCounted(): Promise<number> {
  const metric = await ctx.system.services.metrics.slaAlerts.get();
  return metric.values.filter((v) => v.labels.category === 'repair').reduce((sum, v) => sum + v.value, 0);
}
