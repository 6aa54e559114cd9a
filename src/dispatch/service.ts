import type { Pool } from '../db/pool.js';
import type { RunInTx, Tx } from '../db/tx.js';
import { DISPATCH_ROOM } from '../events/types.js';
import { conflict, forbidden, invalidTransition, notFound } from '../http/problem.js';
import {
  routableCategory, liveTicketOfUnit, lockAssignmentWithTicket, lockCategoryRouting,
  lockLiveAssignmentOfTicket, lockTicket, lockUnit, markDelivered, ticketCategory, unitType,
  updateUnitStatus, insertAudit, unitJson, type LockedAssignment, type LockedTicket, type LockedUnit, type Snapshot,
} from './sql.js';
import { CategoryDrains } from './drains.js';
import { ENDED_TICKET } from './state-machine.js';
import { SYSTEM, type Actor, type Transitions } from './transitions.js';

/** What an assignment action answers: the assignment with its ticket. */
export interface AssignmentView {
  assignment: Record<string, unknown>;
  ticket: Record<string, unknown>;
}

export type Progress = 'en_route' | 'on_scene' | 'resolved';

/**
 * Offers placed per routing statement. Committing in batches lets offers reach units while a
 * large queue is still being placed (one transaction for 200 offers held them all back for
 * seconds), and a batch this size costs tens of milliseconds under load.
 */
const DRAIN_BATCH = 32;

const PROGRESS_FROM: Record<Progress, 'accepted' | 'en_route' | 'on_scene'> = {
  en_route: 'accepted',
  on_scene: 'en_route',
  resolved: 'on_scene',
};

/** Routing, offers and answers, manual control: every operation is one transaction. */
export class DispatchService {
  constructor(
    private readonly pool: Pool,
    private readonly runInTx: RunInTx,
    private readonly transitions: Transitions,
  ) {}

  private readonly drains = new CategoryDrains((category) => this.drainPass(category));

  /** A ticket entered the queue: places queued work of its category; a stale version is ignored. */
  async route(ticketId: string, version: number): Promise<void> {
    // With no unit free there is nothing to place: the unit that frees next has its own job,
    // which sees this committed ticket.
    const category = await routableCategory(this.pool, ticketId, version);
    if (category) await this.drains.request(category);
  }

  /**
   * A unit became free: places queued work of its type. The job carries the type; a job queued
   * before it did asks PostgreSQL.
   */
  async fill(unitId: string, type?: string): Promise<void> {
    const category = type ?? await unitType(this.pool, unitId);
    if (category) await this.drains.request(category);
  }

  /** One pass over a category's queue, in batches, under its routing lock. */
  private async drainPass(category: string): Promise<void> {
    for (;;) {
      const outcome = await this.runInTx((tx) => this.transitions.routeCategory(tx, category, DRAIN_BATCH), { single: true });
      if (outcome === 'done') return;
    }
  }

  /** An offer's answer time ran out: the unit is freed and the ticket re-routes. */
  async expire(assignmentId: string): Promise<'expired' | 'not_due' | 'moot'> {
    return this.runInTx(async (tx) => {
      const locked = await lockAssignmentWithTicket(tx, assignmentId);
      if (!locked || locked.assignment.status !== 'offered') return 'moot';
      const { assignment, ticket } = locked;
      // Never before its time: a job that fires a little early (clocks apart) looks again shortly.
      if (!locked.answerTimeUp) return 'not_due';
      await this.transitions.endAssignment(tx, assignment, 'expired', 'available');
      await this.transitions.moveTicket(tx, ticket, 'queued', SYSTEM, 'offer_expired', { assignmentId, unitId: assignment.unitId });
      await this.transitions.announce(tx, { ticketId: ticket.id, assignment, unitIds: [assignment.unitId] });
      return 'expired';
    });
  }

  async accept(assignmentId: string, actor: Actor): Promise<AssignmentView> {
    return this.responderAction(assignmentId, actor, async (tx, assignment, ticket) => {
      await this.transitions.moveAssignment(tx, assignment, 'accepted');
      await this.transitions.moveTicket(tx, ticket, 'accepted', actor, 'accepted', { assignmentId });
    });
  }

  async decline(assignmentId: string, actor: Actor, reason: string): Promise<AssignmentView> {
    return this.responderAction(assignmentId, actor, async (tx, assignment, ticket) => {
      await this.transitions.endAssignment(tx, assignment, 'declined', 'available', reason);
      await this.transitions.moveTicket(tx, ticket, 'queued', actor, 'offer_declined', { assignmentId, reason });
    }, true);
  }

  async progress(assignmentId: string, actor: Actor, status: Progress, note: string | null): Promise<AssignmentView> {
    return this.responderAction(assignmentId, actor, async (tx, assignment, ticket) => {
      if (assignment.status !== 'accepted') throw invalidTransition(`A ${assignment.status} assignment cannot report progress`);
      if (ticket.status !== PROGRESS_FROM[status]) throw invalidTransition(`A ${ticket.status} ticket cannot become ${status}`);
      if (status === 'resolved') await this.transitions.endAssignment(tx, assignment, 'completed', 'available');
      await this.transitions.moveTicket(tx, ticket, status, actor, status, { assignmentId, note });
    }, status === 'resolved');
  }

  /** The responder's device has the offer: stamped once, and dispatchers learn it. */
  async delivered(assignmentId: string, unitId: string): Promise<boolean> {
    return this.runInTx(async (tx) => {
      const alerts = await markDelivered(tx.client, assignmentId, unitId);
      if (!alerts) return false;
      tx.eventsWritten();
      this.transitions.countAfterCommit(tx, alerts);
      return true;
    }, { single: true });
  }

  /** Dispatcher's manual offer (or reassignment) to a chosen unit. */
  async assign(ticketId: string, unitId: string, force: boolean, actor: Actor): Promise<AssignmentView> {
    return this.runInTx(async (tx) => {
      const category = await ticketCategory(tx.client, ticketId);
      if (!category) throw notFound('Ticket');
      await lockCategoryRouting(tx.client, category);
      const ticket = await this.lockOpenTicket(tx, ticketId);
      // Recategorised between the read and the lock: the routing lock and the type check are the old category's.
      if (ticket.category !== category) throw conflict('The ticket changed meanwhile; try again');
      const live = await lockLiveAssignmentOfTicket(tx.client, ticketId);
      const unit = await lockUnit(tx.client, unitId);
      if (!unit) throw notFound('Unit');
      if (live?.unitId === unitId) throw conflict('The ticket is already with this unit');
      if (unit.status !== 'available') throw conflict(`Unit is ${unit.status}; a unit never holds two tickets`);
      if (category !== 'unclassified' && unit.type !== category && !force) {
        throw conflict(`Unit is a ${unit.type} unit and the ticket is ${category}; send force: true to override`);
      }
      const touched = live ? [live.unitId] : [];
      if (live) {
        await this.transitions.endAssignment(tx, live, 'cancelled', 'available', 'reassigned');
        await this.transitions.moveTicket(tx, ticket, 'queued', actor, 'reassigned', { assignmentId: live.id, unitId: live.unitId });
        await this.transitions.announce(tx, { ticketId, assignment: live, unitIds: touched });
      }
      return this.offerAndAnnounce(tx, ticket, unit, actor, force);
    });
  }

  async cancel(ticketId: string, reason: string, actor: Actor): Promise<Record<string, unknown>> {
    return this.runInTx(async (tx) => {
      const ticket = await this.lockOpenTicket(tx, ticketId);
      const live = await this.releaseLive(tx, ticketId);
      await this.transitions.moveTicket(tx, ticket, 'cancelled', actor, 'cancelled', { reason }, { cancelReason: reason });
      return (await this.transitions.announce(tx, { ticketId, ...live })).ticket!;
    });
  }

  /** Folds a duplicate into another open ticket. */
  async merge(ticketId: string, intoId: string, actor: Actor): Promise<Record<string, unknown>> {
    if (ticketId === intoId) throw conflict('A ticket cannot be merged into itself');
    return this.runInTx(async (tx) => {
      // A drain holds its category's routing lock while it locks queued tickets in its own order:
      // taking the categories' locks first keeps a merge of two queued tickets from deadlocking it.
      const category = await ticketCategory(tx.client, ticketId);
      if (!category) throw notFound('Ticket');
      const intoCategory = await ticketCategory(tx.client, intoId);
      if (!intoCategory) throw notFound('Ticket to merge into');
      for (const name of [...new Set([category, intoCategory])].sort()) await lockCategoryRouting(tx.client, name);
      // Both rows locked in id order, so two opposite merges cannot deadlock.
      const [first, second] = [ticketId, intoId].sort();
      const locked = new Map<string, LockedTicket | null>();
      for (const id of [first!, second!]) locked.set(id, await lockTicket(tx.client, id));
      const ticket = locked.get(ticketId);
      const into = locked.get(intoId);
      if (!ticket) throw notFound('Ticket');
      if (!into) throw notFound('Ticket to merge into');
      if (ticket.category !== category || into.category !== intoCategory) {
        throw conflict('The ticket changed meanwhile; try again');
      }
      if (ENDED_TICKET.includes(into.status)) throw conflict(`Cannot merge into a ${into.status} ticket`);
      const live = await this.releaseLive(tx, ticketId);
      await this.transitions.moveTicket(tx, ticket, 'merged', actor, 'merged', { into: intoId }, { mergedInto: intoId });
      await insertAudit(tx.client, intoId, actor, 'merge_received', { from: ticketId, number: ticket.number });
      const snap = await this.transitions.announce(tx, { ticketId, ...live, alsoOwing: [intoId] });
      await this.transitions.announce(tx, { ticketId: intoId });
      return snap.ticket!;
    });
  }

  async close(ticketId: string, satisfaction: number | null, note: string | null, actor: Actor): Promise<Record<string, unknown>> {
    return this.runInTx(async (tx) => {
      const ticket = await lockTicket(tx.client, ticketId);
      if (!ticket) throw notFound('Ticket');
      await this.transitions.moveTicket(tx, ticket, 'closed', actor, 'closed', { satisfaction, note },
        { satisfaction, closeNote: note });
      return (await this.transitions.announce(tx, { ticketId })).ticket!;
    });
  }

  /**
   * Inside a ticket correction: a new category withdraws any offer or assignment and re-routes.
   * The caller has locked the ticket, already written the new category, and announces the
   * ticket and the units returned; the withdrawn assignment is announced here, to its unit.
   */
  async rerouteAfterRecategorise(tx: Tx, ticket: LockedTicket, actor: Actor): Promise<string[]> {
    const live = await this.releaseLive(tx, ticket.id);
    if (ticket.status !== 'queued') {
      await this.transitions.moveTicket(tx, ticket, 'queued', actor, 'rerouted', { category: ticket.category });
    } else {
      // A routing job reads the category when it runs; this one makes sure one runs.
      this.transitions.routeAfterCommit(tx, ticket);
    }
    if (!live.assignment) return [];
    await this.transitions.announceAssignment(tx, live.assignment);
    return [live.assignment.unitId];
  }

  /** Changes a unit's duty status; going off duty withdraws a pending offer. */
  async setUnitStatus(unitId: string, status: 'available' | 'off_duty', actor: Actor): Promise<Record<string, unknown>> {
    return this.runInTx(async (tx) => {
      // Lock order is always ticket → assignment → unit, as in every other operation.
      const ticketId = await liveTicketOfUnit(tx.client, unitId);
      const ticket = ticketId ? await lockTicket(tx.client, ticketId) : null;
      const live = ticketId ? await lockLiveAssignmentOfTicket(tx.client, ticketId) : null;
      const unit = await lockUnit(tx.client, unitId);
      if (!unit) throw notFound('Unit');
      if (unit.status === 'busy' && (!live || live.unitId !== unitId)) throw conflict('The unit changed meanwhile; try again');
      if (unit.status === status) return (await unitJson(tx.client, unitId))!;
      if (unit.status === 'busy') {
        if (status === 'available' || live!.status === 'accepted') {
          throw conflict('The unit is busy with a ticket; it becomes available when the ticket is resolved');
        }
        await this.transitions.endAssignment(tx, live!, 'cancelled', 'off_duty', 'unit went off duty');
        await this.transitions.moveTicket(tx, ticket!, 'queued', actor, 'offer_withdrawn', { assignmentId: live!.id, unitId });
        const snap = await this.transitions.announce(tx, { ticketId: ticket!.id, assignment: live!, unitIds: [unitId] });
        return snap.units[0]!;
      }
      const updated = await updateUnitStatus(tx.client, unitId, status);
      if (status === 'available') this.transitions.fillAfterCommit(tx, unitId, updated);
      return this.announceUnit(tx, unitId);
    });
  }

  private async announceUnit(tx: Tx, unitId: string): Promise<Record<string, unknown>> {
    const unit = (await unitJson(tx.client, unitId))!;
    tx.emit('unit.updated', [DISPATCH_ROOM], unit);
    return unit;
  }

  private async offerAndAnnounce(tx: Tx, ticket: LockedTicket, unit: LockedUnit, actor: Actor, force = false): Promise<AssignmentView> {
    const assignment = await this.transitions.offer(tx, ticket, unit, actor, force);
    const snap = await this.transitions.announce(tx, {
      ticketId: ticket.id, assignment, assignmentEvent: 'assignment.offered', unitIds: [unit.id],
    });
    return view(snap);
  }

  /** Ends the ticket's live assignment, if any, freeing its unit. */
  private async releaseLive(tx: Tx, ticketId: string): Promise<{ assignment?: LockedAssignment; unitIds?: string[] }> {
    const live = await lockLiveAssignmentOfTicket(tx.client, ticketId);
    if (!live) return {};
    await this.transitions.endAssignment(tx, live, 'cancelled', 'available', 'ticket withdrawn');
    return { assignment: live, unitIds: [live.unitId] };
  }

  private async lockOpenTicket(tx: Tx, ticketId: string): Promise<LockedTicket> {
    const ticket = await lockTicket(tx.client, ticketId);
    if (!ticket) throw notFound('Ticket');
    if (ENDED_TICKET.includes(ticket.status)) throw invalidTransition(`The ticket is ${ticket.status}`);
    return ticket;
  }

  /** Runs a responder's action on its own unit's assignment, then announces the result. */
  private async responderAction(
    assignmentId: string, actor: Actor,
    act: (tx: Tx, assignment: LockedAssignment, ticket: LockedTicket) => Promise<void>,
    unitChanged = false,
  ): Promise<AssignmentView> {
    return this.runInTx(async (tx) => {
      const locked = await lockAssignmentWithTicket(tx, assignmentId);
      if (!locked) throw notFound('Assignment');
      if (locked.assignment.unitId !== actor.unitId) throw forbidden('This assignment belongs to another unit');
      await act(tx, locked.assignment, locked.ticket);
      return view(await this.transitions.announce(tx, {
        ticketId: locked.ticket.id, assignment: locked.assignment, unitIds: unitChanged ? [locked.assignment.unitId] : [],
      }, { commit: true }));
    });
  }
}

function view(snap: Snapshot): AssignmentView {
  return { assignment: snap.assignment!, ticket: snap.ticket! };
}
