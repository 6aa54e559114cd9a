import { describe, expect, it } from 'vitest';
import {
  assignmentUpdate, fileTicket, offerOf, onTicket, respond, unitStatus, type Crew, type Desk, dispatchSuite,
} from './support.js';

// P1 offers run out at once, for the expired-offer case; every other case files P3.
const s = dispatchSuite({ env: { OFFER_TIMEOUT_P1: '1' } });

describe('each transition', () => {
  it('commits with its audit entry and its events, in one transaction', async () => {
    const near = await s.crews.add('gas', { lat: 34.751, lon: 113.62 });
    const far = await s.crews.add('gas', { lat: 34.8, lon: 113.62 });
    const ticket = await fileTicket(s.d, { category: 'gas' });
    const first = await offerOf(near, ticket.id);
    expect((await respond(s.d, near, first.assignment.id, 'decline', { reason: 'flat tyre' })).status).toBe(200);
    const second = await offerOf(far, ticket.id);
    expect(await unitStatus(s.ctx, near.unit.id)).toBe('available');
    for (const [action, body] of [['accept'], ['progress', { status: 'en_route' }], ['progress', { status: 'on_scene' }]] as const) {
      expect(await unitStatus(s.ctx, far.unit.id)).toBe('busy');
      expect((await respond(s.d, far, second.assignment.id, action, body)).status).toBe(200);
    }
    expect(await unitStatus(s.ctx, far.unit.id)).toBe('busy');
    expect((await respond(s.d, far, second.assignment.id, 'progress', { status: 'resolved' })).status).toBe(200);
    expect(await unitStatus(s.ctx, far.unit.id)).toBe('available');
    expect((await onTicket(s.d, ticket.id, 'close', { satisfaction: 5 }, s.d.operator)).status).toBe(200);

    // Rows of one transaction share its now(): each audit entry is matched to the events beside it.
    const { rows } = await s.ctx.db.query<{ action: string; events: string[]; statuses: string[] }>(
      `SELECT te.action,
              array_agg(e.type ORDER BY e.seq) AS events,
              array_agg(COALESCE(e.data->'assignment'->>'status', e.data->>'status') ORDER BY e.seq) AS statuses
       FROM ticket_events te
       JOIN events e ON e.at = te.at AND te.ticket_id::text IN (e.data->>'id', e.data->'ticket'->>'id')
       WHERE te.ticket_id = $1 GROUP BY te.id ORDER BY te.id`, [ticket.id]);
    const assignmentStep = (action: string, status: string, ticketStatus: string) =>
      ({ action, events: ['assignment.updated', 'ticket.updated'], statuses: [status, ticketStatus] });
    expect(rows).toEqual([
      { action: 'created', events: ['ticket.created'], statuses: ['queued'] },
      { action: 'offered', events: ['assignment.offered', 'ticket.updated'], statuses: ['offered', 'offered'] },
      assignmentStep('offer_declined', 'declined', 'queued'),
      { action: 'offered', events: ['assignment.offered', 'ticket.updated'], statuses: ['offered', 'offered'] },
      assignmentStep('accepted', 'accepted', 'accepted'),
      assignmentStep('en_route', 'accepted', 'en_route'),
      assignmentStep('on_scene', 'accepted', 'on_scene'),
      assignmentStep('resolved', 'completed', 'resolved'),
      { action: 'closed', events: ['ticket.updated'], statuses: ['closed'] },
    ]);
  });
});

/** A ticket a dispatcher put with a unit of its own; unclassified, so routing never touches it. */
interface Case {
  crew: Crew;
  ticketId: string;
  assignmentId: string;
}

const STEPS = ['offered', 'accepted', 'en_route', 'on_scene', 'resolved', 'closed'] as const;
type Step = (typeof STEPS)[number];

async function caseAt(step: Step, priority: 'P1' | 'P3' = 'P3'): Promise<Case> {
  const crew = await s.crews.add('repair', { lat: 30, lon: 120 });
  const ticket = await fileTicket(s.d, { category: 'unclassified', priority });
  const assigned = await onTicket(s.d, ticket.id, 'assign', { unitId: crew.unit.id });
  expect(assigned.status).toBe(200);
  const c = { crew, ticketId: ticket.id, assignmentId: assigned.body.assignment.id as string };
  const target = STEPS.indexOf(step);
  if (target >= 1) expect((await respond(s.d, crew, c.assignmentId, 'accept')).status).toBe(200);
  for (const status of ['en_route', 'on_scene', 'resolved'] as const) {
    if (STEPS.indexOf(status) > target) break;
    expect((await respond(s.d, crew, c.assignmentId, 'progress', { status })).status).toBe(200);
  }
  if (target >= STEPS.indexOf('closed')) {
    expect((await onTicket(s.d, c.ticketId, 'close', {}, s.d.operator)).status).toBe(200);
  }
  return c;
}

const accept = (c: Case) => respond(s.d, c.crew, c.assignmentId, 'accept');
const progress = (status: string) => (c: Case) =>
  respond(s.d, c.crew, c.assignmentId, 'progress', { status });
const cancel = (c: Case) => onTicket(s.d, c.ticketId, 'cancel', { reason: 'test' });
const close = (c: Case) => onTicket(s.d, c.ticketId, 'close', { satisfaction: 3 }, s.d.operator);

interface Refusal {
  name: string;
  setup: () => Promise<Case>;
  act: (c: Case) => ReturnType<Desk['call']>;
}

const REFUSED: Refusal[] = [
  { name: 'accepting an offer twice', setup: () => caseAt('accepted'), act: accept },
  {
    name: 'accepting a declined offer',
    setup: async () => {
      const c = await caseAt('offered');
      expect((await respond(s.d, c.crew, c.assignmentId, 'decline', { reason: 'busy' })).status).toBe(200);
      return c;
    },
    act: accept,
  },
  {
    name: 'accepting an expired offer',
    setup: async () => {
      const c = await caseAt('offered', 'P1');
      await assignmentUpdate(c.crew, c.assignmentId, 'expired');
      return c;
    },
    act: accept,
  },
  {
    name: 'accepting an offer withdrawn by a cancel',
    setup: async () => {
      const c = await caseAt('offered');
      expect((await cancel(c)).status).toBe(200);
      return c;
    },
    act: accept,
  },
  {
    name: 'declining an accepted offer',
    setup: () => caseAt('accepted'),
    act: (c) => respond(s.d, c.crew, c.assignmentId, 'decline', { reason: 'changed my mind' }),
  },
  { name: 'reporting en_route before accepting', setup: () => caseAt('offered'), act: progress('en_route') },
  { name: 'reporting on_scene before en_route', setup: () => caseAt('accepted'), act: progress('on_scene') },
  { name: 'reporting resolved before on_scene', setup: () => caseAt('en_route'), act: progress('resolved') },
  { name: 'reporting en_route twice', setup: () => caseAt('en_route'), act: progress('en_route') },
  { name: 'reporting progress after resolved', setup: () => caseAt('resolved'), act: progress('resolved') },
  { name: 'closing an on_scene ticket', setup: () => caseAt('on_scene'), act: close },
  {
    name: 'closing a queued ticket',
    setup: async () => ({ ...(await caseAt('offered')), ticketId: (await fileTicket(s.d, { category: 'unclassified' })).id }),
    act: close,
  },
  { name: 'closing a closed ticket', setup: () => caseAt('closed'), act: close },
  { name: 'cancelling a resolved ticket', setup: () => caseAt('resolved'), act: cancel },
  { name: 'cancelling a closed ticket', setup: () => caseAt('closed'), act: cancel },
  {
    name: 'cancelling a cancelled ticket',
    setup: async () => {
      const c = await caseAt('offered');
      expect((await cancel(c)).status).toBe(200);
      return c;
    },
    act: cancel,
  },
  {
    name: 'merging a resolved ticket',
    setup: () => caseAt('resolved'),
    act: async (c) => onTicket(s.d, c.ticketId, 'merge', { into: (await fileTicket(s.d, { category: 'unclassified' })).id }),
  },
  {
    name: 'assigning a resolved ticket',
    setup: () => caseAt('resolved'),
    act: async (c) => onTicket(s.d, c.ticketId, 'assign', { unitId: (await s.crews.add('repair', { lat: 30, lon: 120 })).unit.id }),
  },
  {
    name: 'correcting a closed ticket',
    setup: () => caseAt('closed'),
    act: (c) => s.d.call('PATCH', `/v1/tickets/${c.ticketId}`, { token: s.d.operator, body: { category: 'repair' } }),
  },
];

describe('a move the state machine refuses', () => {
  it.each(REFUSED)('$name answers 409 invalid_transition and changes nothing', async ({ setup, act }) => {
    const c = await setup();
    const before = await state(c);

    const answer = await act(c);

    expect(answer.status).toBe(409);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(answer.body.code).toBe('invalid_transition');
    expect(await state(c)).toEqual(before);
  });
});

/** The rows a refused move must leave alone: the ticket, its assignments and its audit trail. */
async function state(c: Case) {
  const { rows } = await s.ctx.db.query(
    `SELECT t.status, t.updated_at,
            (SELECT jsonb_agg(jsonb_build_object('status', a.status, 'ended', a.ended_at) ORDER BY a.offered_at)
               FROM assignments a WHERE a.ticket_id = t.id) AS assignments,
            (SELECT count(*) FROM ticket_events te WHERE te.ticket_id = t.id) AS audit,
            (SELECT status FROM units WHERE id = $2) AS unit
     FROM tickets t WHERE t.id = $1`, [c.ticketId, c.crew.unit.id]);
  return rows[0];
}

describe('a progress note the database cannot hold', () => {
  it('a NUL character answers 400 and changes nothing', async () => {
    const c = await caseAt('accepted');
    const before = await state(c);

    const answer = await respond(s.d, c.crew, c.assignmentId, 'progress', { status: 'en_route', note: 'gate code 12\u000034' });

    expect(answer.status).toBe(400);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    expect(await state(c)).toEqual(before);
  });
});
