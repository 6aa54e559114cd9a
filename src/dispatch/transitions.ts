import type { Priority } from '../config.js';
import type { Tx } from '../db/tx.js';
import { conflict } from '../http/problem.js';
import type { Jobs } from '../jobs/registry.js';
import type { Metrics } from '../ops/metrics.js';
import { slaTimerRef } from '../sla/timers.js';
import {
  announce, announceAndCommit, insertOffer, routeCategory, updateAssignmentStatus, updateTicketStatus, updateUnitStatus,
  type LockedAssignment, type LockedTicket, type LockedUnit, type Snapshot, type TicketChange,
} from './sql.js';
import { ENDED_TICKET, assertAssignmentMove, assertTicketMove, type AssignmentStatus, type TicketStatus } from './state-machine.js';

export interface Actor {
  id: string | null;
  role: string;
  unitId?: string | null;
}

export const SYSTEM: Actor = { id: null, role: 'system' };

/**
 * The one place ticket and assignment states change. Each function runs inside the caller's
 * transaction, checks the move against the state machine, writes the row and its audit entry,
 * and queues what must happen after COMMIT. Callers hold the ticket's row lock, except for a
 * routing pass, which locks the tickets it places itself.
 */
export class Transitions {
  constructor(
    private readonly jobs: Jobs,
    private readonly offerTimeoutSec: Record<Priority, number>,
    private readonly metrics: Metrics,
  ) {}

  async moveTicket(
    tx: Tx, ticket: LockedTicket, to: TicketStatus, actor: Actor, action: string,
    details: object = {}, change: TicketChange = {},
  ): Promise<void> {
    assertTicketMove(ticket.status, to);
    const audit = { actor, action, details: { from: ticket.status, to, ...details } };
    const version = await updateTicketStatus(tx.client, ticket.id, ticket.status, to, audit, change);
    if (version === null) throw conflict('The ticket changed meanwhile; try again');
    ticket.status = to;
    ticket.routeVersion = version;
    if (to === 'queued') this.routeAfterCommit(tx, ticket);
    if (ENDED_TICKET.includes(to)) this.stopTimer(tx, ticket.id);
  }

  /** Offers a ticket to an available unit: the unit turns busy and its answer timer starts. */
  async offer(tx: Tx, ticket: LockedTicket, unit: LockedUnit, actor: Actor, forced = false): Promise<LockedAssignment> {
    if (unit.status !== 'available') throw conflict(`Unit is ${unit.status}, not available`);
    assertTicketMove(ticket.status, 'offered');
    const placed = await insertOffer(tx.client, {
      ticketId: ticket.id, unitId: unit.id, from: ticket.status, timeoutSec: this.offerTimeoutSec[ticket.priority],
      actor, forced,
    });
    if (!placed) throw conflict('The ticket changed meanwhile; try again');
    const { assignment } = placed;
    unit.status = 'busy';
    unit.version = placed.unitVersion;
    ticket.status = 'offered';
    ticket.routeVersion = placed.routeVersion;
    this.expireAfterCommit(tx, [assignment]);
    return assignment;
  }

  /**
   * A routing pass under the category's routing lock: up to `limit` offers, best ticket first,
   * each to its nearest eligible unit, announced. 'more' when the batch filled and work may be
   * left. Runs as a single-statement transaction.
   */
  async routeCategory(tx: Tx, category: string, limit: number): Promise<'more' | 'done'> {
    const placed = await routeCategory(tx.client, category, limit, this.offerTimeoutSec);
    if (placed.length) tx.eventsWritten();
    this.expireAfterCommit(tx, placed.map((p) => ({ id: p.assignmentId, answerDueAt: p.answerDueAt })));
    return placed.length === limit ? 'more' : 'done';
  }

  private expireAfterCommit(tx: Tx, offers: Array<Pick<LockedAssignment, 'id' | 'answerDueAt'>>): void {
    if (offers.length === 0) return;
    tx.afterCommit(() => this.jobs.add(offers.map((o) => ({
      name: 'expire' as const, payload: { assignmentId: o.id }, runAt: o.answerDueAt.getTime(),
    }))));
  }

  /**
   * Ends a live assignment and frees its unit (or sends it off duty). The ticket's own move is the
   * caller's, since it differs: re-queued, accepted onwards, cancelled or merged.
   */
  async endAssignment(
    tx: Tx, assignment: LockedAssignment, to: AssignmentStatus, unitAfter: 'available' | 'off_duty',
    reason: string | null = null,
  ): Promise<void> {
    assertAssignmentMove(assignment.status, to);
    await updateAssignmentStatus(tx.client, assignment.id, assignment.status, to, reason);
    const wasOffer = assignment.status === 'offered';
    assignment.status = to;
    const unit = await updateUnitStatus(tx.client, assignment.unitId, unitAfter);
    if (unitAfter === 'available') this.fillAfterCommit(tx, assignment.unitId, unit);
    if (wasOffer) tx.afterCommit(() => this.jobs.remove([{ name: 'expire', payload: { assignmentId: assignment.id } }]));
  }

  async moveAssignment(tx: Tx, assignment: LockedAssignment, to: AssignmentStatus): Promise<void> {
    assertAssignmentMove(assignment.status, to);
    await updateAssignmentStatus(tx.client, assignment.id, assignment.status, to, null);
    if (assignment.status === 'offered') {
      tx.afterCommit(() => this.jobs.remove([{ name: 'expire', payload: { assignmentId: assignment.id } }]));
    }
    assignment.status = to;
  }

  fillAfterCommit(tx: Tx, unitId: string, { version, type }: { version: number; type: string }): void {
    tx.afterCommit(() => this.jobs.add([{ name: 'fill', payload: { unitId, version, type }, priority: 'P1' }]));
  }

  routeAfterCommit(tx: Tx, ticket: LockedTicket): void {
    if (ticket.category === 'unclassified') return;
    const { id, routeVersion, priority } = ticket;
    tx.afterCommit(() => this.jobs.add([{ name: 'route', payload: { ticketId: id, version: routeVersion }, priority }]));
  }

  /**
   * An ended ticket owes no more alerts (the operation's announce recorded those due before it
   * ended): its timer goes. A met stage needs nothing: the timer finds it met when it fires and
   * waits for the ticket's next alert.
   */
  stopTimer(tx: Tx, ticketId: string): void {
    tx.afterCommit(() => this.jobs.remove([slaTimerRef(ticketId)]));
  }

  /**
   * Appends the events of an operation from the rows as they now stand: the assignment event to
   * its unit and the dispatchers, then the ticket, then each unit touched. Returns what they show.
   * Appending in SQL spares each operation its events' trip through Node and back (measured: the
   * dispatch bench's routing p50 rose from tens to hundreds of ms with it), so it must come after
   * every row lock the transaction takes (see append_events in migrations/002). Operations that
   * announce twice (a merge, a reassignment, a correction) take all their locks before the first.
   */
  async announce(
    tx: Tx,
    touched: {
      ticketId: string; assignment?: LockedAssignment; assignmentEvent?: AssignmentEvent; unitIds?: string[];
      /** Tickets announced later in the transaction (a merge's target): their owed alerts are recorded first. */
      alsoOwing?: string[];
    },
    { commit = false }: { commit?: boolean } = {},
  ): Promise<Snapshot> {
    const announced = {
      ticketId: touched.ticketId, assignmentId: touched.assignment?.id ?? null,
      assignmentEvent: touched.assignment ? touched.assignmentEvent ?? 'assignment.updated' : null,
      unitIds: touched.unitIds ?? [], ticketEvent: true, alsoOwing: touched.alsoOwing ?? [],
    };
    // commit: the operation ends here, and its COMMIT rides in the same round trip.
    const snapshot = commit ? await announceAndCommit(tx, announced) : await announce(tx.client, announced);
    tx.eventsWritten();
    this.countAfterCommit(tx, snapshot.alerts);
    return snapshot;
  }

  /** Announces only an assignment's change, for an operation whose caller announces the rest. */
  async announceAssignment(tx: Tx, assignment: LockedAssignment): Promise<void> {
    const snapshot = await announce(tx.client, {
      ticketId: assignment.ticketId, assignmentId: assignment.id, assignmentEvent: 'assignment.updated', unitIds: [], ticketEvent: false,
    });
    tx.eventsWritten();
    this.countAfterCommit(tx, snapshot.alerts);
  }

  /** An announcement also records the SLA alerts its ticket owed until then (a stage met late). */
  countAfterCommit(tx: Tx, alerts: Snapshot['alerts']): void {
    if (alerts.length) tx.afterCommit(async () => this.metrics.countSlaAlerts(alerts));
  }
}

type AssignmentEvent = 'assignment.offered' | 'assignment.updated';

