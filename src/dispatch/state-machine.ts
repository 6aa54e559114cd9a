import { invalidTransition } from '../http/problem.js';

export type TicketStatus =
  | 'queued' | 'offered' | 'accepted' | 'en_route' | 'on_scene' | 'resolved' | 'closed' | 'cancelled' | 'merged';
export type AssignmentStatus = 'offered' | 'accepted' | 'declined' | 'expired' | 'cancelled' | 'completed';

export const TICKET_STATUSES: readonly TicketStatus[] =
  ['queued', 'offered', 'accepted', 'en_route', 'on_scene', 'resolved', 'closed', 'cancelled', 'merged'];
export const ASSIGNMENT_STATUSES: readonly AssignmentStatus[] =
  ['offered', 'accepted', 'declined', 'expired', 'cancelled', 'completed'];

/**
 * CONTRACT §4. Back to `queued` from an accepted ticket happens only when a dispatcher re-routes
 * it (category change or reassign): the unit on it is released first.
 */
const TICKET_NEXT: Record<TicketStatus, readonly TicketStatus[]> = {
  queued: ['offered', 'cancelled', 'merged'],
  offered: ['queued', 'accepted', 'cancelled', 'merged'],
  accepted: ['en_route', 'queued', 'cancelled', 'merged'],
  en_route: ['on_scene', 'queued', 'cancelled', 'merged'],
  on_scene: ['resolved', 'queued', 'cancelled', 'merged'],
  resolved: ['closed'],
  closed: [],
  cancelled: [],
  merged: [],
};

const ASSIGNMENT_NEXT: Record<AssignmentStatus, readonly AssignmentStatus[]> = {
  offered: ['accepted', 'declined', 'expired', 'cancelled'],
  accepted: ['completed', 'cancelled'],
  declined: [],
  expired: [],
  cancelled: [],
  completed: [],
};

export const ENDED_TICKET: readonly TicketStatus[] = ['resolved', 'closed', 'cancelled', 'merged'];

export function canMoveTicket(from: TicketStatus, to: TicketStatus): boolean {
  return TICKET_NEXT[from].includes(to);
}

export function canMoveAssignment(from: AssignmentStatus, to: AssignmentStatus): boolean {
  return ASSIGNMENT_NEXT[from].includes(to);
}

export function assertTicketMove(from: TicketStatus, to: TicketStatus): void {
  if (!canMoveTicket(from, to)) throw invalidTransition(`A ${from} ticket cannot become ${to}`);
}

export function assertAssignmentMove(from: AssignmentStatus, to: AssignmentStatus): void {
  if (!canMoveAssignment(from, to)) throw invalidTransition(`A ${from} assignment cannot become ${to}`);
}
