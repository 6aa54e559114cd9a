import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, listen, type Api, type TestContext } from '../helper.js';
import { GAS_SMELL, countRows, newCall, secondsBetween, spot, type User } from './support.js';

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

async function create(extra: Record<string, unknown> = {}, description = GAS_SMELL) {
  const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall(description, extra) });
  expect(created.status).toBe(201);
  return created.body;
}

const patch = (id: string, body: unknown, token = operator.token) => call('PATCH', `/v1/tickets/${id}`, { token, body });

async function audit(id: string) {
  return (await call('GET', `/v1/tickets/${id}`, { token: operator.token })).body.events as Array<{ action: string; actorId: string; details: any }>;
}

const dueSeconds = (t: { createdAt: string; sla: Record<string, string> }) =>
  [t.sla.assignDueAt!, t.sla.arriveDueAt!, t.sla.resolveDueAt!].map((due) => secondsBetween(t.createdAt, due));

describe('correcting a ticket', () => {
  it('an operator corrects the description and location; the audit entry lists each change', async () => {
    const ticket = await create();
    const location = { address: 'Building 7, Nanyang Road', lat: spot().lat, lon: 120.5 };
    const corrected = await patch(ticket.id, { description: 'gas smell on the stairs, not the kitchen', location });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({ id: ticket.id, description: 'gas smell on the stairs, not the kitchen', location, createdAt: ticket.createdAt });
    expect(Date.parse(corrected.body.updatedAt)).toBeGreaterThanOrEqual(Date.parse(ticket.updatedAt));
    const entries = await audit(ticket.id);
    expect(entries.at(-1)).toMatchObject({ action: 'updated', actorId: operator.id });
    expect(entries.at(-1)!.details).toEqual({
      changes: {
        description: { from: GAS_SMELL, to: 'gas smell on the stairs, not the kitchen' },
        address: { from: null, to: location.address },
        lat: { from: ticket.location.lat, to: location.lat },
        lon: { from: ticket.location.lon, to: location.lon },
      },
    });
    expect(entries.map((e) => e.action)).toEqual(['created', 'updated']);
  });

  it('a dispatcher may correct too', async () => {
    const ticket = await create();
    const corrected = await patch(ticket.id, { description: 'smell gone, still check' }, dispatcher.token);
    expect(corrected.status).toBe(200);
    expect((await audit(ticket.id)).at(-1)).toMatchObject({ action: 'updated', actorId: dispatcher.id });
  });

  it('supervisors, responders and admins are refused with 403 and the ticket is unchanged', async () => {
    const ticket = await create();
    const unit = await call('POST', '/v1/units', { token: admin.token, body: { callsign: `G-${randomUUID().slice(0, 6)}`, type: 'gas' } });
    for (const user of [await createUser(ctx, 'supervisor'), await createUser(ctx, 'responder', unit.body.id), admin]) {
      expect((await patch(ticket.id, { description: 'changed' }, user.token)).status, user.role).toBe(403);
    }
    const read = await call('GET', `/v1/tickets/${ticket.id}`, { token: operator.token });
    expect(read.body.description).toBe(GAS_SMELL);
    expect(read.body.events.map((e: { action: string }) => e.action)).toEqual(['created']);
  });

  it('repeating the current values changes nothing and records nothing', async () => {
    const ticket = await create({ category: 'gas', priority: 'P1' });
    const same = await patch(ticket.id, { category: 'gas', priority: 'P1', description: GAS_SMELL });
    expect(same.status).toBe(200);
    expect(same.body.updatedAt).toBe(ticket.updatedAt);
    expect((await audit(ticket.id)).map((e) => e.action)).toEqual(['created']);
  });
});

describe('a new category or priority recomputes the SLA from the original creation time', () => {
  it('gas P1 corrected to police: due times follow police P1 from createdAt', async () => {
    const ticket = await create();
    expect(dueSeconds(ticket)).toEqual([120, 1800, 14400]);
    const corrected = await patch(ticket.id, { category: 'police' });
    expect(corrected.status).toBe(200);
    expect(corrected.body).toMatchObject({
      category: 'police', domain: 'police', priority: 'P1', createdAt: ticket.createdAt, status: 'queued',
      classification: { category: 'police', priority: 'P1', source: 'operator' },
    });
    expect(dueSeconds(corrected.body)).toEqual([60, 300, 7200]);
    const entries = await audit(ticket.id);
    expect(entries.map((e) => e.action)).toEqual(['created', 'updated', 'sla_recomputed']);
    expect(entries[1]!.details.changes).toEqual({ category: { from: 'gas', to: 'police' } });
    expect(entries[2]!.details).toEqual({
      assignDueAt: corrected.body.sla.assignDueAt, arriveDueAt: corrected.body.sla.arriveDueAt, resolveDueAt: corrected.body.sla.resolveDueAt,
    });
  });

  it('a new priority alone recomputes too: gas P1 to P3', async () => {
    const ticket = await create();
    const corrected = await patch(ticket.id, { priority: 'P3' });
    expect(corrected.body).toMatchObject({ category: 'gas', priority: 'P3', createdAt: ticket.createdAt });
    expect(dueSeconds(corrected.body)).toEqual([1800, 86400, 259200]);
    expect((await audit(ticket.id)).map((e) => e.action)).toEqual(['created', 'updated', 'sla_recomputed']);
  });

  it('an edit that keeps category and priority keeps the due times, even under a policy changed since', async () => {
    const ticket = await create();
    const policy = (body: object) => call('PUT', '/v1/sla/policies/gas/P1', { token: admin.token, body });
    expect((await policy({ assignSec: 60, arriveSec: 120, resolveSec: 600 })).status).toBe(200);
    try {
      const corrected = await patch(ticket.id, { description: 'gas smell in the kitchen, typo fixed' });
      expect(corrected.status).toBe(200);
      expect(dueSeconds(corrected.body)).toEqual([120, 1800, 14400]);
      expect(corrected.body.sla).toEqual(ticket.sla);
      expect((await audit(ticket.id)).map((e) => e.action)).toEqual(['created', 'updated']);
    } finally {
      expect((await policy({ assignSec: 120, arriveSec: 1800, resolveSec: 14400 })).status).toBe(200);
    }
  });

  it('a ticket made unclassified is held to the police policy of its priority', async () => {
    const ticket = await create({ category: 'water', priority: 'P2' });
    const corrected = await patch(ticket.id, { category: 'unclassified' });
    expect(corrected.body).toMatchObject({ category: 'unclassified', domain: 'unknown', priority: 'P2' });
    expect(dueSeconds(corrected.body)).toEqual([180, 900, 86400]);
  });

  it('the correction is recorded against what the ticket was classified as', async () => {
    const ticket = await create();
    await patch(ticket.id, { category: 'power', priority: 'P2' });
    const { rows } = await ctx.db.query(
      'SELECT category, priority, auto_category, auto_priority, created_by FROM classification_corrections WHERE ticket_id = $1', [ticket.id]);
    expect(rows).toEqual([{ category: 'power', priority: 'P2', auto_category: 'gas', auto_priority: 'P1', created_by: operator.id }]);
  });

  it('an unclassified ticket given a category is routed to a free unit of that type', async () => {
    const here = spot();
    const unit = await call('POST', '/v1/units', { token: admin.token, body: { callsign: 'W-PATCH', type: 'water', location: here } });
    const responder = await createUser(ctx, 'responder', unit.body.id);
    const device = await listen(ctx.system.url!, responder.token);
    const desk = await listen(ctx.system.url!, dispatcher.token);
    try {
      await call('PUT', `/v1/units/${unit.body.id}/status`, { token: responder.token, body: { status: 'available' } });
      const ticket = (await call('POST', '/v1/tickets', {
        token: operator.token, body: { caller: { phone: '110' }, location: here, description: 'hm', category: 'unclassified' },
      })).body;
      expect((await patch(ticket.id, { category: 'water' }, dispatcher.token)).status).toBe(200);
      await desk.waitFor((e) => e.type === 'ticket.updated' && (e.data as any).id === ticket.id && (e.data as any).category === 'water');
      const offered = await device.waitFor((e) => e.type === 'assignment.offered');
      expect((offered.data as any).ticket.id).toBe(ticket.id);
    } finally {
      device.close();
      desk.close();
    }
  });
});

describe('corrections that are refused', () => {
  it('a cancelled ticket cannot be corrected: 409 invalid_transition', async () => {
    const ticket = await create();
    expect((await call('POST', `/v1/tickets/${ticket.id}/cancel`, { token: dispatcher.token, body: { reason: 'prank' } })).status).toBe(200);
    const refused = await patch(ticket.id, { description: 'more detail' });
    expect(refused.status).toBe(409);
    expect(refused.body.code).toBe('invalid_transition');
    const read = await call('GET', `/v1/tickets/${ticket.id}`, { token: operator.token });
    expect(read.body).toMatchObject({ status: 'cancelled', description: GAS_SMELL });
  });

  it.each([
    ['an empty body', {}],
    ['an unknown field', { colour: 'red' }],
    ['an unknown field beside a valid one', { description: 'changed', colour: 'red' }],
    ['a status', { status: 'resolved' }],
    ['an empty description', { description: '' }],
    ['a description of 4001 characters', { description: 'x'.repeat(4001) }],
    ['a location without lon', { location: { lat: 30 } }],
    ['a latitude of 91', { location: { lat: 91, lon: 120 } }],
    ['an unknown category', { category: 'fire' }],
    ['an unknown priority', { priority: 'P0' }],
    ['a null description', { description: null }],
  ])('%s is refused with 400 and changes nothing', async (_, body) => {
    const ticket = await create();
    const refused = await patch(ticket.id, body);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe('validation_failed');
    const read = await call('GET', `/v1/tickets/${ticket.id}`, { token: operator.token });
    expect(read.body).toMatchObject({ description: GAS_SMELL, category: 'gas', priority: 'P1', updatedAt: ticket.updatedAt });
    expect(read.body.events).toHaveLength(1);
  });

  it('a body that is not JSON is refused with 400', async () => {
    const ticket = await create();
    expect((await patch(ticket.id, '{"description": ')).status).toBe(400);
  });

  it('an unknown ticket answers 404', async () => {
    const before = await countRows(ctx, 'ticket_events');
    const missing = await patch(randomUUID(), { description: 'x' });
    expect(missing.status).toBe(404);
    expect(await countRows(ctx, 'ticket_events')).toBe(before);
  });
});
