import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser } from '../../src/auth/roles.js';
import { api, build, createUser, listen, type Api, type Listener, type TestContext } from '../helper.js';
import { addUnit, assignmentOf, fileTicket, setStatus, type AssignmentData } from './support.js';

type User = AuthUser & { token: string };

let ctx: TestContext;
let call: Api;
let dispatcher: User;
let operator: User;
const listeners: Listener[] = [];

beforeAll(async () => {
  ctx = await build();
  call = api(ctx);
  dispatcher = await createUser(ctx, 'dispatcher');
  operator = await createUser(ctx, 'operator');
});

afterAll(async () => {
  for (const listener of listeners) listener.close();
  await ctx?.close();
});

/** A unit on duty with its device connected, and the offer of a fresh ticket of its type. */
async function offeredTo(callsign: string, type: string): Promise<{ crew: User; device: Listener; offer: AssignmentData }> {
  const admin = await createUser(ctx, 'admin');
  const unit = await addUnit(call, admin.token, callsign, type);
  const crew = await createUser(ctx, 'responder', unit.id);
  const device = await listen(ctx.system.url!, crew.token);
  listeners.push(device);
  await setStatus(call, crew.token, unit.id, 'available');
  const ticket = await fileTicket(call, operator.token, { category: type });
  const event = await device.waitFor((e) => e.type === 'assignment.offered' && assignmentOf(e).ticket.id === ticket.id);
  return { crew, device, offer: assignmentOf(event) };
}

describe('GET /v1/assignments/undelivered', () => {
  it('lists live offers no device has acknowledged, oldest first, with ticket number and unit', async () => {
    const first = await offeredTo('UNDELIVERED-1', 'power');
    const second = await offeredTo('UNDELIVERED-2', 'heating');

    const page1 = await call('GET', '/v1/assignments/undelivered?limit=1', { token: dispatcher.token });
    expect(page1.status).toBe(200);
    expect(page1.body.items).toEqual([{
      assignment: first.offer.assignment,
      ticket: { id: first.offer.ticket.id, number: first.offer.ticket.number, category: 'power', priority: 'P3' },
      unit: { id: first.crew.unitId, callsign: 'UNDELIVERED-1', type: 'power' },
    }]);
    const page2 = await call('GET', `/v1/assignments/undelivered?limit=1&cursor=${page1.body.nextCursor}`, { token: dispatcher.token });
    expect(page2.body.items.map((item: AssignmentData) => item.assignment.id)).toEqual([second.offer.assignment.id]);
    expect(page2.body.nextCursor).toBeNull();

    expect(await first.device.socket.timeout(5000).emitWithAck('assignment.ack', { assignmentId: first.offer.assignment.id })).toEqual({ ok: true });
    const after = await call('GET', '/v1/assignments/undelivered', { token: dispatcher.token });
    expect(after.body).toEqual({ items: [expect.objectContaining({ assignment: second.offer.assignment })], nextCursor: null });
  });

  it('drops an offer once it is answered', async () => {
    const { crew, offer } = await offeredTo('UNDELIVERED-3', 'water');
    const listed = async () => (await call('GET', '/v1/assignments/undelivered?limit=200', { token: dispatcher.token }))
      .body.items.map((item: AssignmentData) => item.assignment.id);
    expect(await listed()).toContain(offer.assignment.id);
    const accepted = await call('POST', `/v1/assignments/${offer.assignment.id}/accept`, { token: crew.token });
    expect(accepted.status).toBe(200);
    expect(await listed()).not.toContain(offer.assignment.id);
  });

  it('is for staff only, and refuses a cursor it did not issue', async () => {
    const { crew } = await offeredTo('UNDELIVERED-4', 'gas');
    expect((await call('GET', '/v1/assignments/undelivered', { token: crew.token })).status).toBe(403);
    expect((await call('GET', '/v1/assignments/undelivered')).status).toBe(401);
    const forged = Buffer.from(JSON.stringify(['soon', 'x'])).toString('base64url');
    const refused = await call('GET', `/v1/assignments/undelivered?cursor=${forged}`, { token: dispatcher.token });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
  });
});
