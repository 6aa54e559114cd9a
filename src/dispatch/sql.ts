import pg from 'pg';
import type { DbClient, Pool } from '../db/pool.js';
import type { Priority } from '../config.js';
import type { Tx } from '../db/tx.js';
import type { AssignmentStatus, TicketStatus } from './state-machine.js';

export interface LockedTicket {
  id: string;
  number: string;
  status: TicketStatus;
  category: string;
  priority: Priority;
  routeVersion: number;
}

export interface LockedAssignment {
  id: string;
  ticketId: string;
  unitId: string;
  status: AssignmentStatus;
  answerDueAt: Date;
}

export interface LockedUnit {
  id: string;
  type: string;
  status: 'available' | 'busy' | 'off_duty';
  version: number;
}

const TICKET_COLS = `id, number, status, category, priority, route_version AS "routeVersion"`;
const ASSIGNMENT_COLS = `id, ticket_id AS "ticketId", unit_id AS "unitId", status, answer_due_at AS "answerDueAt"`;
const UNIT_COLS = `id, type, status, version`;

/**
 * Operations lock a ticket FOR NO KEY UPDATE: they exclude each other, an SLA timer and a sweep
 * batch that holds the ticket (both lock it the same way), but not the foreign-key check (FOR KEY
 * SHARE) of a row written for the ticket, such as an alert. With FOR UPDATE, operations and timers
 * deadlocked once operations recorded owed alerts too (migrations/004).
 */
export async function lockTicket(db: DbClient, id: string): Promise<LockedTicket | null> {
  const { rows } = await db.query<LockedTicket>(`SELECT ${TICKET_COLS} FROM tickets WHERE id = $1 FOR NO KEY UPDATE`, [id]);
  return rows[0] ?? null;
}

export async function lockLiveAssignmentOfTicket(db: DbClient, ticketId: string): Promise<LockedAssignment | null> {
  const { rows } = await db.query<LockedAssignment>(
    `SELECT ${ASSIGNMENT_COLS} FROM assignments WHERE ticket_id = $1 AND status IN ('offered','accepted') FOR UPDATE`, [ticketId]);
  return rows[0] ?? null;
}

export async function lockUnit(db: DbClient, id: string): Promise<LockedUnit | null> {
  const { rows } = await db.query<LockedUnit>(`SELECT ${UNIT_COLS} FROM units WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ?? null;
}

/** Ticket id of the unit's live assignment, read without locks (the caller locks in ticket → unit order). */
export async function liveTicketOfUnit(db: DbClient, unitId: string): Promise<string | null> {
  const { rows } = await db.query<{ ticketId: string }>(
    `SELECT ticket_id AS "ticketId" FROM assignments WHERE unit_id = $1 AND status IN ('offered','accepted')`, [unitId]);
  return rows[0]?.ticketId ?? null;
}

/** Serialises routing decisions within one category, across every worker process (lock_category_routing in migrations/002). */
export async function lockCategoryRouting(db: DbClient, category: string): Promise<void> {
  await db.query('SELECT lock_category_routing($1)', [category]);
}

/**
 * Locks an assignment's ticket, then the assignment (the lock order of every operation), as the
 * transaction's first statement: with its BEGIN, in one round trip. The assignment's subquery
 * runs once the ticket row is locked.
 */
export async function lockAssignmentWithTicket(
  tx: Tx, assignmentId: string,
): Promise<{ ticket: LockedTicket; assignment: LockedAssignment; answerTimeUp: boolean } | null> {
  const id = `${pg.escapeLiteral(assignmentId)}::uuid`;
  const rows = await tx.beginWith<{ ticket: LockedTicket; assignment: LockedAssignment & { answerDueAt: string }; answerTimeUp: boolean }>(
    `WITH t AS MATERIALIZED (
       SELECT ${TICKET_COLS} FROM tickets WHERE id = (SELECT ticket_id FROM assignments WHERE id = ${id}) FOR NO KEY UPDATE)
     SELECT to_jsonb(t) AS ticket, to_jsonb(a) AS assignment, a."answerDueAt" <= clock_timestamp() AS "answerTimeUp"
     FROM t CROSS JOIN LATERAL (
       SELECT ${ASSIGNMENT_COLS} FROM assignments WHERE id = ${id} AND ticket_id = t.id FOR UPDATE) a`);
  const row = rows[0];
  if (!row) return null;
  return {
    ticket: row.ticket, assignment: { ...row.assignment, answerDueAt: new Date(row.assignment.answerDueAt) },
    // By PostgreSQL's clock, which set the answer time: a worker's own may run ahead.
    answerTimeUp: row.answerTimeUp,
  };
}

/**
 * Stamps, audits and announces the offer's delivery in one statement (deliver_offer,
 * migrations/007): null when there was nothing to mark, else the SLA alerts its announce recorded.
 */
export async function markDelivered(db: DbClient, assignmentId: string, unitId: string): Promise<Snapshot['alerts'] | null> {
  const { rows } = await db.query<{ alerts: Snapshot['alerts'] | null }>(
    { name: 'deliver-offer', text: 'SELECT deliver_offer($1, $2) AS alerts', values: [assignmentId, unitId] });
  return rows[0]!.alerts;
}

export async function ticketCategory(db: DbClient, ticketId: string): Promise<string | null> {
  const { rows } = await db.query<{ category: string }>('SELECT category FROM tickets WHERE id = $1', [ticketId]);
  return rows[0]?.category ?? null;
}

/** The category of a ticket still queued at this routing version, if some unit of it is free. */
export async function routableCategory(db: Pool, ticketId: string, version: number): Promise<string | null> {
  const { rows } = await db.query<{ category: string }>(
    `SELECT t.category FROM tickets t
     WHERE t.id = $1 AND t.status = 'queued' AND t.route_version = $2 AND t.category <> 'unclassified'
       AND EXISTS (SELECT 1 FROM units u WHERE u.type = t.category AND u.status = 'available')`, [ticketId, version]);
  return rows[0]?.category ?? null;
}

export async function unitType(db: DbClient | Pool, unitId: string): Promise<string | null> {
  const { rows } = await db.query<{ type: string }>('SELECT type FROM units WHERE id = $1', [unitId]);
  return rows[0]?.type ?? null;
}

export interface PlacedOffer {
  assignment: LockedAssignment;
  unitVersion: number;
  routeVersion: number;
}

/**
 * One offer (make_offer in migrations/002): the assignment, the unit turned busy, the ticket moved
 * from `from` to offered, and the audit entry. Null when the ticket was no longer in `from`.
 */
export async function insertOffer(
  db: DbClient,
  o: { ticketId: string; unitId: string; from: TicketStatus; timeoutSec: number; actor: { id: string | null; role: string }; forced: boolean },
): Promise<PlacedOffer | null> {
  const { rows } = await db.query<{ id: string; answerDueAt: Date; unitVersion: number; routeVersion: number }>({
    name: 'make-offer',
    text: `SELECT assignment_id AS id, answer_due_at AS "answerDueAt", unit_version AS "unitVersion", route_version AS "routeVersion"
           FROM make_offer($1, $2, $3, $4, $5, $6, $7)`,
    values: [o.ticketId, o.unitId, o.from, o.timeoutSec, o.actor.id, o.actor.role, o.forced],
  });
  const row = rows[0];
  if (!row) return null;
  return {
    assignment: { id: row.id, ticketId: o.ticketId, unitId: o.unitId, status: 'offered', answerDueAt: row.answerDueAt },
    unitVersion: row.unitVersion,
    routeVersion: row.routeVersion,
  };
}

export interface RoutedOffer {
  assignmentId: string;
  answerDueAt: Date;
}

/**
 * A routing pass under the category's routing lock: up to `limit` offers, best ticket first, each
 * to its nearest eligible unit, with their events (route_category in migrations/002), in one
 * statement.
 */
export async function routeCategory(
  db: DbClient, category: string, limit: number, timeoutSec: Record<Priority, number>,
): Promise<RoutedOffer[]> {
  const { rows } = await db.query<RoutedOffer>({
    name: 'route-category',
    text: `SELECT assignment_id AS "assignmentId", answer_due_at AS "answerDueAt" FROM route_category($1, $2, $3)`,
    values: [category, limit, [timeoutSec.P1, timeoutSec.P2, timeoutSec.P3]],
  });
  return rows;
}

export async function updateAssignmentStatus(
  db: DbClient, id: string, from: AssignmentStatus, to: AssignmentStatus, declineReason: string | null,
): Promise<boolean> {
  const answered = ['accepted', 'declined'].includes(to);
  const ended = to !== 'accepted';
  const { rowCount } = await db.query(
    `UPDATE assignments SET status = $3,
       answered_at = CASE WHEN $4 THEN c.at ELSE answered_at END,
       ended_at = CASE WHEN $5 THEN c.at ELSE ended_at END,
       decline_reason = COALESCE($6, decline_reason)
     FROM (SELECT clock_timestamp() AS at) c
     WHERE id = $1 AND status = $2`,
    [id, from, to, answered, ended, declineReason]);
  return rowCount === 1;
}

export interface TicketChange {
  cancelReason?: string;
  mergedInto?: string;
  satisfaction?: number | null;
  closeNote?: string | null;
}

export interface AuditEntry {
  actor: { id: string | null; role: string };
  action: string;
  details: object;
}

/**
 * Moves a ticket's status and writes its audit entry, in one statement; stamps the time of each
 * milestone the first time it is reached (a stage met stays met for its SLA, whatever a
 * reassignment does after) and bumps the routing version on re-queue. Returns the routing
 * version, or null when the ticket was not in `from`.
 */
export async function updateTicketStatus(
  db: DbClient, id: string, from: TicketStatus, to: TicketStatus, audit: AuditEntry, change: TicketChange = {},
): Promise<number | null> {
  const { rows } = await db.query<{ routeVersion: number }>({
    name: 'update-ticket-status',
    text: `WITH moved AS (
       UPDATE tickets SET status = $3, updated_at = now(),
         accepted_at = CASE WHEN $3 = 'accepted' THEN COALESCE(accepted_at, now()) ELSE accepted_at END,
         on_scene_at = CASE WHEN $3 = 'on_scene' THEN COALESCE(on_scene_at, now()) ELSE on_scene_at END,
         resolved_at = CASE WHEN $3 = 'resolved' THEN COALESCE(resolved_at, now()) ELSE resolved_at END,
         ended_at = CASE WHEN $3 IN ('resolved','closed','cancelled','merged') THEN COALESCE(ended_at, now()) ELSE ended_at END,
         route_version = route_version + CASE WHEN $3 = 'queued' THEN 1 ELSE 0 END,
         cancel_reason = COALESCE($4, cancel_reason),
         merged_into = COALESCE($5, merged_into),
         satisfaction = COALESCE($6, satisfaction),
         close_note = COALESCE($7, close_note)
       WHERE id = $1 AND status = $2
       RETURNING id, route_version),
     audit AS (
       INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, details)
       SELECT id, $8, $9, $10, $11 FROM moved)
     SELECT route_version AS "routeVersion" FROM moved`,
    values: [id, from, to, change.cancelReason ?? null, change.mergedInto ?? null, change.satisfaction ?? null,
      change.closeNote ?? null, audit.actor.id, audit.actor.role, audit.action, JSON.stringify(audit.details)],
  });
  return rows[0]?.routeVersion ?? null;
}

/** Sets a unit's status; the version bump gives the next "unit freed" job a fresh id. */
/** Returns the unit's new version and its type (the queue a freed unit drains). */
export async function updateUnitStatus(
  db: DbClient, id: string, status: LockedUnit['status'],
): Promise<{ version: number; type: string }> {
  const { rows } = await db.query<{ version: number; type: string }>(
    `UPDATE units SET status = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING version, type`, [id, status]);
  return rows[0]!;
}

export async function insertAudit(
  db: DbClient, ticketId: string, actor: { id: string | null; role: string }, action: string, details: object,
): Promise<void> {
  await db.query(
    'INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, details) VALUES ($1, $2, $3, $4, $5)',
    [ticketId, actor.id, actor.role, action, JSON.stringify(details)]);
}

export interface Snapshot {
  ticket: Record<string, unknown> | null;
  assignment: Record<string, unknown> | null;
  units: Record<string, unknown>[];
  /** SLA alerts the ticket owed until this operation, recorded and announced with it (migrations/004). */
  alerts: Array<{ kind: string; stage: string; category: string }>;
}

export interface Announced {
  ticketId: string;
  assignmentId: string | null;
  /** Null: no assignment event. */
  assignmentEvent: string | null;
  unitIds: string[];
  /** False: no ticket.updated. */
  ticketEvent: boolean;
  /** Other tickets the operation holds and announces later, whose owed SLA alerts are recorded now. */
  alsoOwing?: string[];
}

/**
 * Appends the events of an operation from the rows as they now stand (announce() in
 * migrations/002) and returns what they show.
 */
export async function announce(db: DbClient, a: Announced): Promise<Snapshot> {
  const { rows } = await db.query<{ snapshot: Snapshot }>({
    name: 'announce',
    text: 'SELECT announce($1, $2, $3, $4, $5, $6) AS snapshot',
    values: [a.ticketId, a.assignmentId, a.assignmentEvent, a.unitIds, a.ticketEvent, a.alsoOwing ?? []],
  });
  return rows[0]!.snapshot;
}

/** announce() as the transaction's last statement, committed in the same round trip. */
export async function announceAndCommit(tx: Tx, a: Announced): Promise<Snapshot> {
  const literal = (value: string | null) => (value === null ? 'NULL' : pg.escapeLiteral(value));
  const rows = await tx.commitWith<{ snapshot: Snapshot }>(
    `SELECT announce(${literal(a.ticketId)}::uuid, ${literal(a.assignmentId)}::uuid, ${literal(a.assignmentEvent)}::text,
                     ARRAY[${a.unitIds.map(literal).join(', ')}]::uuid[], ${a.ticketEvent},
                     ARRAY[${(a.alsoOwing ?? []).map(literal).join(', ')}]::uuid[]) AS snapshot`);
  return rows[0]!.snapshot;
}

export async function unitJson(db: DbClient | Pool, unitId: string): Promise<Record<string, unknown> | null> {
  const { rows } = await db.query<{ unit: Record<string, unknown> }>('SELECT unit_json(u) AS unit FROM units u WHERE id = $1', [unitId]);
  return rows[0]?.unit ?? null;
}

/**
 * Queued tickets that some free, eligible unit could take now: what routing should be doing.
 * Only categories with a free unit are looked into, each along the queue index: asked of every
 * queued ticket, the eligibility check took 0.8–1.2 s per reconcile pass over a backlog of 100,000
 * (EXPLAIN ANALYZE), a quarter to a third of a core every 3 s that the SLA timers then waited on.
 */
export async function routableTickets(db: Pool, limit: number) {
  const { rows } = await db.query<{ ticketId: string; version: number; priority: Priority }>(
    `SELECT t.id AS "ticketId", t.route_version AS version, t.priority
     FROM (SELECT DISTINCT u.type FROM units u WHERE u.status = 'available' AND u.type <> 'unclassified') free
     CROSS JOIN LATERAL (
       SELECT t.id, t.route_version, t.priority, t.created_at FROM tickets t
       WHERE t.status = 'queued' AND t.category = free.type AND has_eligible_unit(t.id, t.category)
       ORDER BY t.priority, t.created_at
       LIMIT $1) t
     ORDER BY t.priority, t.created_at
     LIMIT $1`, [limit]);
  return rows;
}

/** Pending offers, with when each must be answered. */
export async function liveOffers(db: Pool, dueBefore: Date | null, limit: number) {
  const { rows } = await db.query<{ assignmentId: string; answerDueAt: Date }>(
    `SELECT id AS "assignmentId", answer_due_at AS "answerDueAt" FROM assignments
     WHERE status = 'offered' AND ($1::timestamptz IS NULL OR answer_due_at < $1)
     ORDER BY answer_due_at LIMIT $2`, [dueBefore, limit]);
  return rows;
}
