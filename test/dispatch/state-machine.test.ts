import { describe, expect, it } from 'vitest';
import { Problem } from '../../src/http/problem.js';
import {
  ASSIGNMENT_STATUSES, TICKET_STATUSES, assertAssignmentMove, assertTicketMove, canMoveAssignment, canMoveTicket,
} from '../../src/dispatch/state-machine.js';

// The specification, written out independently of the tables under test (CONTRACT §4).
const BEFORE_RESOLVED = ['queued', 'offered', 'accepted', 'en_route', 'on_scene'];
const TICKET_ALLOWED = new Set([
  'queued>offered',
  'offered>accepted', 'offered>queued', // accepted; or declined, expired, withdrawn
  'accepted>en_route', 'en_route>on_scene', 'on_scene>resolved', 'resolved>closed',
  // A dispatcher's re-route (new category, reassignment) sends a ticket a unit is on back to the queue.
  'accepted>queued', 'en_route>queued', 'on_scene>queued',
  ...BEFORE_RESOLVED.flatMap((from) => [`${from}>cancelled`, `${from}>merged`]),
]);
const ASSIGNMENT_ALLOWED = new Set([
  'offered>accepted', 'offered>declined', 'offered>expired', 'offered>cancelled',
  'accepted>completed', 'accepted>cancelled',
]);

/** Every (from, to) pair of states, with whether the specification allows the move. */
function everyPair<S extends string>(states: readonly S[], allowed: Set<string>) {
  return states.flatMap((from) => states.map((to) => ({ from, to, allowed: allowed.has(`${from}>${to}`) })));
}

function expectInvalidTransition(move: () => void): void {
  try {
    move();
  } catch (error) {
    expect(error).toBeInstanceOf(Problem);
    expect((error as Problem).status).toBe(409);
    expect((error as Problem).code).toBe('invalid_transition');
    return;
  }
  expect.fail('the move was allowed');
}

describe('ticket state machine, every pair of states', () => {
  it.each(everyPair(TICKET_STATUSES, TICKET_ALLOWED))('ticket $from → $to allowed: $allowed', ({ from, to, allowed }) => {
    expect(canMoveTicket(from, to)).toBe(allowed);
    if (allowed) expect(() => assertTicketMove(from, to)).not.toThrow();
    else expectInvalidTransition(() => assertTicketMove(from, to));
  });
});

describe('assignment state machine, every pair of states', () => {
  it.each(everyPair(ASSIGNMENT_STATUSES, ASSIGNMENT_ALLOWED))('assignment $from → $to allowed: $allowed', ({ from, to, allowed }) => {
    expect(canMoveAssignment(from, to)).toBe(allowed);
    if (allowed) expect(() => assertAssignmentMove(from, to)).not.toThrow();
    else expectInvalidTransition(() => assertAssignmentMove(from, to));
  });
});
