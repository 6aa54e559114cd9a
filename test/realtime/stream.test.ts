import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser } from '../../src/auth/roles.js';
import { api, build, createUser, listen, spawnProcess, type Api, type Child, type Listener, type TestContext } from '../helper.js';
import {
  addUnit, apiAt, assignmentOf, contractRooms, expectStream, fileTicket, setStatus, watermark,
} from './support.js';

type User = AuthUser & { token: string };

let ctx: TestContext;
const children: Child[] = [];
const listeners: Listener[] = [];
/** The in-process API (where the test's users are signed) and the two API processes. */
let local: Api;
let api1: Child;
let api2: Child;
let admin: User;
let operator: User;
let dispatcher: User;
let supervisor: User;

async function connect(child: Child | string, user: User, lastSeq?: number): Promise<Listener> {
  const listener = await listen(typeof child === 'string' ? child : child.url!, user.token, lastSeq);
  listeners.push(listener);
  return listener;
}

beforeAll(async () => {
  ctx = await build({ roles: ['api'] });
  local = api(ctx);
  children.push(...await Promise.all([spawnProcess(ctx, ['api']), spawnProcess(ctx, ['api']), spawnProcess(ctx, ['worker'])]));
  [api1, api2] = children as [Child, Child];
  admin = await createUser(ctx, 'admin');
  operator = await createUser(ctx, 'operator');
  dispatcher = await createUser(ctx, 'dispatcher');
  supervisor = await createUser(ctx, 'supervisor');
});

afterAll(async () => {
  for (const listener of listeners) listener.close();
  await Promise.all(children.map((child) => child.stop()));
  await ctx?.close();
});

describe('one ordered event stream over several API processes', () => {
  it('gives every socket exactly the events of its rooms, in seq order, whichever process raised them', async () => {
    const water = await addUnit(local, admin.token, 'STREAM-W1', 'water');
    const power = await addUnit(local, admin.token, 'STREAM-P1', 'power');
    const waterCrew = await createUser(ctx, 'responder', water.id);
    const powerCrew = await createUser(ctx, 'responder', power.id);

    // A police call with a one-second SLA throws sla.* events (dispatch and supervisors) into the mix.
    const policy = await local('PUT', '/v1/sla/policies/police/P2', { token: admin.token, body: { assignSec: 1, arriveSec: 1, resolveSec: 1 } });
    expect(policy.status).toBe(200);

    const waterDevice = await connect(api1, waterCrew);
    const desk = await connect(api1, dispatcher);
    const callTaker = await connect(api1, operator);
    const powerDevice = await connect(api2, powerCrew);
    const board = await connect(api2, supervisor);
    const adminDesk = await connect(api2, admin);
    // Every event after this seq is raised after all of the above have joined their rooms.
    const start = await watermark(ctx);
    // A second device of the same unit, on the other process, asks for the same range by replay.
    const waterSpare = await connect(api2, waterCrew, start);

    const call1 = apiAt(api1.url!);
    const call2 = apiAt(api2.url!);
    const [police] = await Promise.all([
      fileTicket(call2, operator.token, { category: 'police', priority: 'P2' }),
      setStatus(call1, waterCrew.token, water.id, 'available'),
      setStatus(call2, dispatcher.token, power.id, 'available'),
      ...['water', 'power', 'water', 'power', 'gas', 'water', 'power'].map((category, i) =>
        fileTicket([local, call1, call2][i % 3]!, operator.token, { category })),
    ]);

    const waterOffer = assignmentOf(await waterDevice.waitFor((e) => e.type === 'assignment.offered'));
    const powerOffer = assignmentOf(await powerDevice.waitFor((e) => e.type === 'assignment.offered'));
    const [accepted, declined] = await Promise.all([
      call1('POST', `/v1/assignments/${waterOffer.assignment.id}/accept`, { token: waterCrew.token }),
      call2('POST', `/v1/assignments/${powerOffer.assignment.id}/decline`, { token: powerCrew.token, body: { reason: 'flat tyre' } }),
    ]);
    expect([accepted.status, declined.status]).toEqual([200, 200]);
    for (const status of ['en_route', 'on_scene', 'resolved']) {
      const step = await call1('POST', `/v1/assignments/${waterOffer.assignment.id}/progress`, { token: waterCrew.token, body: { status } });
      expect(step.status).toBe(200);
    }
    for (const stage of ['assign', 'arrive', 'resolve']) {
      await board.waitFor((e) => e.type === 'sla.breached' && (e.data as { ticketId: string; stage: string }).ticketId === police.id
        && (e.data as { stage: string }).stage === stage);
    }
    const end = await watermark(ctx);

    const staff = await expectStream(ctx, desk, contractRooms('dispatcher'), start, end, 'live');
    expect(new Set(staff.map((event) => event.type))).toEqual(
      new Set(['unit.updated', 'ticket.created', 'ticket.updated', 'assignment.offered', 'assignment.updated', 'sla.warning', 'sla.breached']));
    await expectStream(ctx, callTaker, contractRooms('operator'), start, end, 'live');
    await expectStream(ctx, board, contractRooms('supervisor'), start, end, 'live');
    await expectStream(ctx, adminDesk, contractRooms('admin'), start, end, 'live');
    const waterEvents = await expectStream(ctx, waterDevice, contractRooms('responder', water.id), start, end, 'live');
    await expectStream(ctx, waterSpare, contractRooms('responder', water.id), start, end, 'replay');
    const powerEvents = await expectStream(ctx, powerDevice, contractRooms('responder', power.id), start, end, 'live');

    // Each unit saw its own offers and answers, and never the other unit's.
    expect(waterEvents.map((event) => assignmentOf(event).assignment.unitId)).toContain(water.id);
    expect(powerEvents.map((event) => assignmentOf(event).assignment.unitId)).toContain(power.id);
    for (const event of waterDevice.events) expect(assignmentOf(event).assignment?.unitId).toBe(water.id);
    for (const event of powerDevice.events) expect(assignmentOf(event).assignment?.unitId).toBe(power.id);
  });

  it('replays from lastSeq and carries on live with no gap and no duplicate while tickets are being filed', async () => {
    const urls = [ctx.system.url!, api1.url!, api2.url!];
    const desks = urls.map(apiAt);
    const joined: Array<{ listener: Listener; rooms: string[]; lastSeq: number }> = [];
    // Each join goes to the next of the three processes in turn.
    const join = async (user: User, lastSeq: number) => {
      const url = urls[joined.length % 3]!;
      joined.push({ listener: await connect(url, user, lastSeq), rooms: contractRooms(user.role), lastSeq });
    };
    const before = await watermark(ctx);

    // Three desks file tickets at once; sockets join with a lastSeq a few events back while they do.
    await Promise.all(desks.map(async (call, writer) => {
      for (let i = 0; i < 12; i++) {
        await fileTicket(call, operator.token, { category: i % 2 ? 'gas' : 'heating' });
        if (writer === 0 && i % 3 === 1) {
          const seen = Math.max(before, (await watermark(ctx)) - 3);
          await join(i % 2 ? supervisor : dispatcher, seen);
        }
        if (writer === 1 && i === 5) await join(dispatcher, 0);
      }
    }));
    const end = await watermark(ctx);

    expect(joined).toHaveLength(5);
    for (const { listener, rooms, lastSeq } of joined) {
      const events = await expectStream(ctx, listener, rooms, lastSeq, end, 'replay');
      expect(events.length).toBeGreaterThan(0);
    }
  });

  it('records a device\'s receipt of an offer and tells dispatchers the device has it', async () => {
    const unit = await addUnit(local, admin.token, 'STREAM-R1', 'repair');
    const crew = await createUser(ctx, 'responder', unit.id);
    const otherUnit = await addUnit(local, admin.token, 'STREAM-R2', 'repair');
    const stranger = await createUser(ctx, 'responder', otherUnit.id);
    const device = await connect(api2, crew);
    const strangerDevice = await connect(api2, stranger);
    const desk = await connect(api1, dispatcher);

    await setStatus(local, crew.token, unit.id, 'available');
    const ticket = await fileTicket(local, operator.token, { category: 'repair' });
    const offer = assignmentOf(await device.waitFor((e) => e.type === 'assignment.offered' && assignmentOf(e).ticket.id === ticket.id));
    const id = offer.assignment.id;
    expect(offer.assignment.deliveredAt).toBeNull();

    // Only the unit the offer went to can sign for it.
    expect(await strangerDevice.socket.timeout(5000).emitWithAck('assignment.ack', { assignmentId: id })).toEqual({ ok: false });
    expect(await desk.socket.timeout(5000).emitWithAck('assignment.ack', { assignmentId: id })).toEqual({ ok: false });
    expect((await ctx.db.query('SELECT delivered_at FROM assignments WHERE id = $1', [id])).rows[0].delivered_at).toBeNull();

    expect(await device.socket.timeout(5000).emitWithAck('assignment.ack', { assignmentId: id })).toEqual({ ok: true });
    const { rows } = await ctx.db.query<{ at: string }>(
      `SELECT to_char(delivered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at FROM assignments WHERE id = $1`, [id]);
    expect(rows[0]!.at).not.toBeNull();
    const receipt = assignmentOf(await desk.waitFor((e) => e.type === 'assignment.updated' && assignmentOf(e).assignment.id === id));
    expect(receipt.assignment).toMatchObject({ status: 'offered', deliveredAt: rows[0]!.at });
  });

  it('refuses a late receipt of an offer withdrawn meanwhile, so dispatchers never see a dead offer as delivered', async () => {
    const unit = await addUnit(local, admin.token, 'STREAM-R3', 'repair');
    const crew = await createUser(ctx, 'responder', unit.id);
    const device = await connect(api2, crew);
    await setStatus(local, crew.token, unit.id, 'available');
    const ticket = await fileTicket(local, operator.token, { category: 'repair' });
    const offer = assignmentOf(await device.waitFor((e) => e.type === 'assignment.offered' && assignmentOf(e).ticket.id === ticket.id));
    const cancelled = await local('POST', `/v1/tickets/${ticket.id}/cancel`, { token: dispatcher.token, body: { reason: 'caller hung up' } });
    expect(cancelled.status).toBe(200);

    expect(await device.socket.timeout(5000).emitWithAck('assignment.ack', { assignmentId: offer.assignment.id })).toEqual({ ok: false });
    const { rows } = await ctx.db.query('SELECT status, delivered_at FROM assignments WHERE id = $1', [offer.assignment.id]);
    expect(rows[0]).toEqual({ status: 'cancelled', delivered_at: null });
  });
});
