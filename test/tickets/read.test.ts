import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, listen, type Api, type TestContext } from '../helper.js';
import { ISO_UTC, newCall, spot, type User } from './support.js';

let ctx: TestContext;
let call: Api;
let admin: User;
let operator: User;
let dispatcher: User;

beforeAll(async () => {
  ctx = await build();
  call = api(ctx);
  admin = await createUser(ctx, 'admin');
  operator = await createUser(ctx, 'operator');
  dispatcher = await createUser(ctx, 'dispatcher');
});
afterAll(async () => { await ctx?.close(); });

async function unitWithResponder(type: string, location: { lat: number; lon: number }) {
  const unit = await call('POST', '/v1/units', { token: admin.token, body: { callsign: `${type}-${randomUUID().slice(0, 8)}`, type, location } });
  expect(unit.status).toBe(201);
  return { unit: unit.body, responder: await createUser(ctx, 'responder', unit.body.id) };
}

describe('reading one ticket', () => {
  it('comes with its assignments and its audit trail, oldest entry first', async () => {
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall('a call', { category: 'heating', priority: 'P3' }) });
    await call('PATCH', `/v1/tickets/${created.body.id}`, { token: dispatcher.token, body: { description: 'radiators cold in flat 4' } });
    const read = await call('GET', `/v1/tickets/${created.body.id}`, { token: operator.token });
    expect(read.status).toBe(200);
    expect(read.body).toMatchObject({ id: created.body.id, number: created.body.number, description: 'radiators cold in flat 4', assignments: [] });
    expect(read.body.events).toEqual([
      { id: expect.any(Number), at: created.body.createdAt, actorId: operator.id, actorRole: 'operator', action: 'created', details: expect.any(Object) },
      {
        id: expect.any(Number), at: expect.stringMatching(ISO_UTC), actorId: dispatcher.id, actorRole: 'dispatcher', action: 'updated',
        details: { changes: { description: { from: 'a call', to: 'radiators cold in flat 4' } } },
      },
    ]);
    expect(read.body.events[1].id).toBeGreaterThan(read.body.events[0].id);
  });

  it('every staff role may read it', async () => {
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall('a call', { category: 'heating' }) });
    for (const role of ['admin', 'operator', 'dispatcher', 'supervisor'] as const) {
      const read = await call('GET', `/v1/tickets/${created.body.id}`, { token: (await createUser(ctx, role)).token });
      expect(read.status, role).toBe(200);
    }
  });

  it('answers 404 for an unknown id and 400 for an id that is not a uuid', async () => {
    const unknown = await call('GET', `/v1/tickets/${randomUUID()}`, { token: operator.token });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe('not_found');
    expect((await call('GET', '/v1/tickets/42', { token: operator.token })).status).toBe(400);
  });
});

describe('responders reading a ticket', () => {
  it('a responder whose unit never held the ticket is refused with 403', async () => {
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall('a call', { category: 'heating' }) });
    const { responder } = await unitWithResponder('heating', spot());
    const read = await call('GET', `/v1/tickets/${created.body.id}`, { token: responder.token });
    expect(read.status).toBe(403);
    expect(read.body.code).toBe('forbidden');
  });

  it('a responder whose unit was offered the ticket reads it with the offer, and still may after declining', async () => {
    const here = spot();
    const { unit, responder } = await unitWithResponder('water', here);
    const bystander = await unitWithResponder('water', spot());
    const device = await listen(ctx.system.url!, responder.token);
    try {
      expect((await call('PUT', `/v1/units/${unit.id}/status`, { token: responder.token, body: { status: 'available' } })).status).toBe(200);
      const created = await call('POST', '/v1/tickets', {
        token: operator.token, body: { caller: { phone: '110' }, location: here, description: 'burst pipe', category: 'water', priority: 'P2' },
      });
      const offered = await device.waitFor((e) => e.type === 'assignment.offered' && (e.data as any).ticket.id === created.body.id);
      const assignment = (offered.data as any).assignment;

      const read = await call('GET', `/v1/tickets/${created.body.id}`, { token: responder.token });
      expect(read.status).toBe(200);
      expect(read.body.assignments).toEqual([expect.objectContaining({
        id: assignment.id, unitId: unit.id, status: 'offered', offeredAt: expect.stringMatching(ISO_UTC),
        answerDueAt: expect.stringMatching(ISO_UTC), answeredAt: null,
      })]);
      expect(read.body.events.map((e: { action: string }) => e.action)).toEqual(['created', 'offered']);
      expect((await call('GET', `/v1/tickets/${created.body.id}`, { token: bystander.responder.token })).status).toBe(403);

      const declined = await call('POST', `/v1/assignments/${assignment.id}/decline`, { token: responder.token, body: { reason: 'pump broken' } });
      expect(declined.status).toBe(200);
      const after = await call('GET', `/v1/tickets/${created.body.id}`, { token: responder.token });
      expect(after.status).toBe(200);
      expect(after.body.assignments).toMatchObject([{ id: assignment.id, status: 'declined' }]);
    } finally {
      device.close();
    }
  });
});
