import { expect } from 'vitest';
import type { Envelope } from '../../src/events/types.js';
import { api, type Api, type Listener, type TestContext } from '../helper.js';

/** HTTP to another API process. */
export const apiAt = (url: string): Api => api({ url });

export const SPOT = { lat: 34.75, lon: 113.62 };

/** Rooms by role, as CONTRACT §6 states them (written out here, not taken from the code under test). */
export function contractRooms(role: string, unitId: string | null = null): string[] {
  switch (role) {
    case 'responder': return [`unit:${unitId}`];
    case 'operator': case 'dispatcher': return ['dispatch'];
    default: return ['dispatch', 'supervisors'];
  }
}

/** The seq below which every transaction has committed or rolled back: rows up to it are final. */
export async function watermark(ctx: TestContext): Promise<number> {
  const { rows } = await ctx.db.query<{ wm: number }>('SELECT event_watermark() AS wm');
  return Number(rows[0]!.wm);
}

/** The events table's rows for any of the rooms, after < seq <= upTo, as envelopes. */
export async function logRows(ctx: TestContext, rooms: string[], after: number, upTo: number): Promise<Envelope[]> {
  const { rows } = await ctx.db.query<Envelope>(
    `SELECT seq, type, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, data
     FROM events WHERE seq > $1 AND seq <= $2 AND rooms && $3::text[] ORDER BY seq`,
    [after, upTo, rooms]);
  return rows;
}

/** The rooms of each of these seqs, from the table. */
async function roomsOf(ctx: TestContext, seqs: number[]): Promise<Map<number, string[]>> {
  const { rows } = await ctx.db.query<{ seq: number; rooms: string[] }>(
    'SELECT seq, rooms FROM events WHERE seq = ANY($1::bigint[])', [seqs]);
  return new Map(rows.map((row) => [Number(row.seq), row.rooms]));
}

/**
 * Asserts that the socket got exactly the table's events for its rooms in (after, upTo], and
 * that everything it got, before or after that range, was addressed to its rooms and came in
 * strictly increasing seq order. A socket that connected with lastSeq = after must have got
 * nothing at or before it; one that joined live may have got earlier events still in flight.
 */
export async function expectStream(
  ctx: TestContext, listener: Listener, rooms: string[], after: number, upTo: number, joined: 'replay' | 'live',
): Promise<Envelope[]> {
  const expected = await logRows(ctx, rooms, after, upTo);
  const last = expected[expected.length - 1];
  // On a timeout, fall through: the comparison below shows what is missing.
  if (last) await listener.waitFor((event) => event.seq >= last.seq).catch(() => {});
  const received = listener.events.filter((event) => event.seq > after && event.seq <= upTo);
  expect(received).toEqual(expected);
  if (joined === 'replay') expect(listener.events.filter((event) => event.seq <= after)).toEqual([]);
  const seqs = listener.events.map((event) => event.seq);
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(new Set(seqs).size).toBe(seqs.length);
  const addressed = await roomsOf(ctx, seqs);
  const strays = seqs.filter((seq) => !(addressed.get(seq) ?? []).some((room) => rooms.includes(room)));
  expect(strays).toEqual([]);
  return expected;
}

export interface TicketInput {
  category: string;
  priority?: string;
  lat?: number;
  lon?: number;
}

/** Files a ticket the way an operator's desk does; the operator's category and priority win. */
export async function fileTicket(call: Api, token: string, input: TicketInput): Promise<{ id: string; number: string }> {
  const response = await call('POST', '/v1/tickets', {
    token,
    body: {
      caller: { phone: '13800000000' },
      location: { lat: input.lat ?? SPOT.lat, lon: input.lon ?? SPOT.lon },
      description: `${input.category} call for the realtime tests`,
      category: input.category,
      priority: input.priority ?? 'P3',
    },
  });
  expect(response.status).toBe(201);
  return response.body;
}

/** Registers a unit (admin) at the spot; it starts off duty. */
export async function addUnit(call: Api, adminToken: string, callsign: string, type: string): Promise<{ id: string }> {
  const response = await call('POST', '/v1/units', { token: adminToken, body: { callsign, type, location: SPOT } });
  expect(response.status).toBe(201);
  return response.body;
}

export async function setStatus(call: Api, token: string, unitId: string, status: 'available' | 'off_duty'): Promise<void> {
  const response = await call('PUT', `/v1/units/${unitId}/status`, { token, body: { status } });
  expect(response.status).toBe(200);
}

/** Data of an assignment event. */
export interface AssignmentData {
  assignment: { id: string; unitId: string; ticketId: string; status: string; deliveredAt: string | null };
  ticket: { id: string; number: string; status: string };
}

export const assignmentOf = (event: Envelope) => event.data as AssignmentData;
