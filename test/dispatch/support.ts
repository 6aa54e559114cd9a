import { afterAll, beforeAll, expect } from 'vitest';
import type { Envelope } from '../../src/events/types.js';
import { api, build, createUser, listen, type Api, type BuildOptions, type Listener, type TestContext } from '../helper.js';

/** Everyone a dispatch test talks as: HTTP on the test's system plus the staff tokens. */
export interface Desk {
  call: Api;
  admin: string;
  operator: string;
  dispatcher: string;
}

export async function desk(ctx: TestContext): Promise<Desk> {
  const [admin, operator, dispatcher] = await Promise.all([
    createUser(ctx, 'admin'), createUser(ctx, 'operator'), createUser(ctx, 'dispatcher'),
  ]);
  return { call: api(ctx), admin: admin.token, operator: operator.token, dispatcher: dispatcher.token };
}

/** A unit with its responder's token and device (a socket in the unit's room). */
export interface Crew {
  unit: { id: string; callsign: string; type: string };
  token: string;
  device: Listener;
}

export interface Spot {
  lat: number;
  lon: number;
}

export interface CrewOptions {
  /** Put the unit on duty at once (default true). */
  available?: boolean;
  /** The API process the device connects to (default the test's system). */
  url?: string;
}

let callsigns = 0;

/** Registers a unit, signs in its responder's device and (unless told otherwise) puts it on duty. */
export async function addCrew(
  ctx: TestContext, d: Desk, type: string, location: Spot | null, options: CrewOptions = {},
): Promise<Crew> {
  const created = await d.call('POST', '/v1/units', {
    token: d.admin, body: { callsign: `${type.toUpperCase()}-${++callsigns}-${process.pid}`, type, location },
  });
  expect(created.status).toBe(201);
  const responder = await createUser(ctx, 'responder', created.body.id);
  const device = await listen(options.url ?? ctx.system.url!, responder.token);
  const crew = { unit: created.body, token: responder.token, device };
  if (options.available ?? true) await setDuty(d, crew, 'available');
  return crew;
}

export async function setDuty(d: Desk, crew: Crew, status: 'available' | 'off_duty'): Promise<void> {
  const answer = await d.call('PUT', `/v1/units/${crew.unit.id}/status`, { token: crew.token, body: { status } });
  expect(answer.status, JSON.stringify(answer.body)).toBe(200);
}

export interface TicketInput {
  category: string;
  priority?: 'P1' | 'P2' | 'P3';
  lat?: number;
  lon?: number;
}

/** Files a ticket with the operator's category and priority, so the classifier plays no part. */
export async function fileTicket(d: Desk, input: TicketInput): Promise<{ id: string; status: string; priority: string }> {
  const created = await d.call('POST', '/v1/tickets', {
    token: d.operator,
    body: {
      caller: { phone: '13800000000' }, location: { lat: input.lat ?? 34.75, lon: input.lon ?? 113.62 },
      description: `test call about ${input.category}`, category: input.category, priority: input.priority ?? 'P3',
    },
  });
  expect(created.status, JSON.stringify(created.body)).toBe(201);
  return created.body;
}

export interface Offer {
  assignment: { id: string; ticketId: string; unitId: string; status: string; offeredAt: string; answerDueAt: string };
  ticket: { id: string; status: string; priority: string };
}

/** The offer of this ticket as the crew's device receives it. */
export async function offerOf(crew: Crew, ticketId: string): Promise<Offer> {
  const event = await crew.device.waitFor((e) => e.type === 'assignment.offered' && offerData(e).ticket.id === ticketId);
  return offerData(event);
}

/** The first offer the crew's device receives after everything it has seen so far. */
export async function nextOffer(crew: Crew): Promise<Offer> {
  const after = Math.max(0, ...crew.device.events.map((e) => e.seq));
  return offerData(await crew.device.waitFor((e) => e.type === 'assignment.offered' && e.seq > after));
}

/** Resolves once the crew's device learns its assignment reached this status. */
export async function assignmentUpdate(crew: Crew, assignmentId: string, status: string): Promise<Offer> {
  const event = await crew.device.waitFor((e) => e.type === 'assignment.updated'
    && offerData(e).assignment.id === assignmentId && offerData(e).assignment.status === status);
  return offerData(event);
}

export function offerData(event: Envelope): Offer {
  return event.data as Offer;
}

/** Accepts an offer and works it through to resolved, each step checked. */
export async function workThrough(d: Desk, crew: Crew, assignmentId: string): Promise<void> {
  const accepted = await respond(d, crew, assignmentId, 'accept');
  expect(accepted.status, JSON.stringify(accepted.body)).toBe(200);
  for (const status of ['en_route', 'on_scene', 'resolved']) {
    const step = await respond(d, crew, assignmentId, 'progress', { status });
    expect(step.status, JSON.stringify(step.body)).toBe(200);
  }
}

export interface TicketRow {
  status: string;
  category: string;
  merged_into: string | null;
}

export async function ticketRow(ctx: TestContext, id: string): Promise<TicketRow> {
  const { rows } = await ctx.db.query('SELECT status, category, merged_into FROM tickets WHERE id = $1', [id]);
  return rows[0];
}

export async function unitStatus(ctx: TestContext, id: string): Promise<string> {
  const { rows } = await ctx.db.query<{ status: string }>('SELECT status FROM units WHERE id = $1', [id]);
  return rows[0]!.status;
}

export interface AssignmentRow {
  unit_id: string;
  status: string;
  /** Why it ended early: the decline reason, or why it was withdrawn. */
  reason: string | null;
}

/** A ticket's assignments, oldest offer first. */
export async function assignmentRows(ctx: TestContext, ticketId: string): Promise<AssignmentRow[]> {
  const { rows } = await ctx.db.query(
    'SELECT unit_id, status, decline_reason AS reason FROM assignments WHERE ticket_id = $1 ORDER BY offered_at', [ticketId]);
  return rows;
}

/** The crews a test file adds, so afterAll can close every device. */
export interface Roster {
  add(type: string, location: Spot | null, options?: CrewOptions): Promise<Crew>;
  close(): void;
}

export function roster(ctx: TestContext, d: Desk): Roster {
  const crews: Crew[] = [];
  return {
    add: async (type, location, options) => {
      const crew = await addCrew(ctx, d, type, location, options);
      crews.push(crew);
      return crew;
    },
    close: () => { for (const crew of crews) crew.device.close(); },
  };
}

/**
 * Every status change in the ticket's audit trail has its `ticket.updated` event with that
 * status, written in the same transaction: both rows carry the transaction's now().
 */
export async function expectEachMoveAnnounced(ctx: TestContext, ticketId: string): Promise<void> {
  const { rows } = await ctx.db.query<{ action: string; to: string; announced: boolean }>(
    `SELECT te.action, te.details->>'to' AS to,
            EXISTS (SELECT 1 FROM events e WHERE e.at = te.at AND e.type = 'ticket.updated'
                      AND e.data->>'id' = te.ticket_id::text AND e.data->>'status' = te.details->>'to') AS announced
     FROM ticket_events te WHERE te.ticket_id = $1 AND te.details ? 'to' ORDER BY te.id`, [ticketId]);
  expect(rows.length).toBeGreaterThan(0);
  expect(rows.filter((row) => !row.announced)).toEqual([]);
}

/**
 * Redis losing every key of this system, as after a restart without persistence. Not FLUSHALL:
 * other test files share this Redis under their own prefixes, so only this test's prefix goes.
 */
export async function loseRedisData(ctx: TestContext): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await ctx.redis.scan(cursor, 'MATCH', `${ctx.prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await ctx.redis.del(...keys);
  } while (cursor !== '0');
}

/** A responder answering its unit's assignment: accept, decline or report progress. */
export function respond(
  d: Desk, crew: Crew, assignmentId: string, action: 'accept' | 'decline' | 'progress', body?: object,
): ReturnType<Api> {
  return d.call('POST', `/v1/assignments/${assignmentId}/${action}`, { token: crew.token, body });
}

/** A desk action on a ticket, by the dispatcher unless another token is given. */
export function onTicket(
  d: Desk, ticketId: string, action: 'assign' | 'cancel' | 'merge' | 'close', body: object, token = d.dispatcher,
): ReturnType<Api> {
  return d.call('POST', `/v1/tickets/${ticketId}/${action}`, { token, body });
}

/** Where the tests' calls come from; units are placed at distances north of it. */
export const SPOT = { lat: 34.75, lon: 113.62 };
export const north = (metres: number) => ({ lat: SPOT.lat + metres / 111_195, lon: SPOT.lon });

export interface Suite {
  ctx: TestContext;
  d: Desk;
  crews: Roster;
}

/**
 * A test file's system (own database and Redis prefix), its desk of staff and its roster of
 * units, built before the file's tests and closed after them. Read the fields inside tests.
 */
export function dispatchSuite(options: BuildOptions = {}): Suite {
  const suite = {} as Suite;
  beforeAll(async () => {
    suite.ctx = await build(options);
    suite.d = await desk(suite.ctx);
    suite.crews = roster(suite.ctx, suite.d);
  });
  afterAll(async () => {
    suite.crews?.close();
    await suite.ctx?.close();
  });
  return suite;
}
