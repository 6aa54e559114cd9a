import type { DbClient, Pool } from '../db/pool.js';
import type { Priority } from '../config.js';
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

export async function lockTicket(db: DbClient, id: string): Promise<LockedTicket | null> {
  const { rows } = await db.query<LockedTicket>(`SELECT ${TICKET_COLS} FROM tickets WHERE id = $1 FOR UPDATE`, [id]);
  return rows[0] ?? null;
}

export async function lockAssignment(db: DbClient, id: string): Promise<LockedAssignment | null> {
  const { rows } = await db.query<LockedAssignment>(`SELECT ${ASSIGNMENT_COLS} FROM assignments WHERE id = $1 FOR UPDATE`, [id]);
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

/** Serialises routing decisions within one category, across every worker process. */
export async function lockCategoryRouting(db: DbClient, category: string): Promise<void> {
  await db.query(`SELECT pg_advisory_xact_lock(hashtext('route:' || $1))`, [category]);
}

/** Takes the category's routing lock only if no one holds it. */
export async function tryLockCategoryRouting(db: DbClient, category: string): Promise<boolean> {
  const { rows } = await db.query<{ locked: boolean }>(
    `SELECT pg_try_advisory_xact_lock(hashtext('route:' || $1)) AS locked`, [category]);
  return rows[0]!.locked;
}

export async function ticketOfAssignment(db: DbClient, assignmentId: string): Promise<string | null> {
  const { rows } = await db.query<{ ticketId: string }>('SELECT ticket_id AS "ticketId" FROM assignments WHERE id = $1', [assignmentId]);
  return rows[0]?.ticketId ?? null;
}

export async function markDelivered(db: DbClient, assignmentId: string, unitId: string): Promise<boolean> {
  const { rowCount } = await db.query(
    'UPDATE assignments SET delivered_at = now() WHERE id = $1 AND unit_id = $2 AND delivered_at IS NULL', [assignmentId, unitId]);
  return rowCount === 1;
}

export async function ticketCategory(db: DbClient, ticketId: string): Promise<string | null> {
  const { rows } = await db.query<{ category: string }>('SELECT category FROM tickets WHERE id = $1', [ticketId]);
  return rows[0]?.category ?? null;
}

/** Whether the ticket still waits in this category's queue at this routing version; read without a lock. */
/** The category of a ticket still queued at this routing version, if some unit of it is free. */
export async function routableCategory(db: Pool, ticketId: string, version: number): Promise<string | null> {
  const { rows } = await db.query<{ category: string }>(
    `SELECT t.category FROM tickets t
     WHERE t.id = $1 AND t.status = 'queued' AND t.route_version = $2 AND t.category <> 'unclassified'
       AND EXISTS (SELECT 1 FROM units u WHERE u.type = t.category AND u.status = 'available')`, [ticketId, version]);
  return rows[0]?.category ?? null;
}

export async function stillQueued(db: DbClient, ticketId: string, version: number, category: string): Promise<boolean> {
  const { rows } = await db.query(
    `SELECT 1 FROM tickets WHERE id = $1 AND status = 'queued' AND route_version = $2 AND category = $3`,
    [ticketId, version, category]);
  return rows.length > 0;
}

export async function unitType(db: DbClient | Pool, unitId: string): Promise<string | null> {
  const { rows } = await db.query<{ type: string }>('SELECT type FROM units WHERE id = $1', [unitId]);
  return rows[0]?.type ?? null;
}

/**
 * The nearest available unit of the ticket's category that has not declined it or let its offer
 * expire; units without a location come after every unit with one.
 */
export async function nearestFreeUnit(db: DbClient, ticketId: string, lock: boolean): Promise<LockedUnit | null> {
  const { rows } = await db.query<LockedUnit>(
    `SELECT u.id, u.type, u.status, u.version
     FROM units u, tickets t
     WHERE t.id = $1 AND u.type = t.category AND u.status = 'available'
       AND NOT EXISTS (SELECT 1 FROM assignments a
                       WHERE a.ticket_id = t.id AND a.unit_id = u.id AND a.status IN ('declined','expired'))
     ORDER BY u.lat IS NULL, distance_m(t.lat, t.lon, u.lat, u.lon), u.id
     LIMIT 1
     ${lock ? 'FOR UPDATE OF u' : ''}`, [ticketId]);
  return rows[0] ?? null;
}

/** Whether any unit of this type is on duty and free: the cheap test before scanning the queue. */
export async function anyFreeUnit(db: DbClient, type: string): Promise<boolean> {
  const { rows } = await db.query(`SELECT 1 FROM units WHERE type = $1 AND status = 'available' LIMIT 1`, [type]);
  return rows.length > 0;
}

/**
 * The queued ticket of a category to place next: P1 before P2 before P3, then oldest, among
 * those some free unit may take (one that has not declined it or let its offer expire).
 */
export async function bestRoutableTicket(db: DbClient, category: string, lock: boolean): Promise<LockedTicket | null> {
  const { rows } = await db.query<LockedTicket>(
    `SELECT ${TICKET_COLS.split(', ').map((c) => `t.${c}`).join(', ')}
     FROM tickets t
     WHERE t.status = 'queued' AND t.category = $1
       AND EXISTS (SELECT 1 FROM units u
                   WHERE u.type = t.category AND u.status = 'available'
                     AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.ticket_id = t.id AND a.unit_id = u.id
                                       AND a.status IN ('declined','expired')))
     ORDER BY t.priority, t.created_at, t.id
     LIMIT 1
     ${lock ? 'FOR UPDATE OF t' : ''}`, [category]);
  return rows[0] ?? null;
}

/**
 * Writes an offer. Its times, like every assignment time, are the clock's, not the transaction's
 * start (now()): a routing transaction may wait on the category lock while the unit's previous
 * assignment ends, and stamped with its start it would seem to overlap that assignment.
 */
export interface PlacedOffer {
  assignment: LockedAssignment;
  unitVersion: number;
  routeVersion: number | null;
}

/**
 * An offer in one statement, as routing makes many in a row under its category lock: the
 * assignment, the unit turned busy, the ticket moved from `from` to offered, and the audit
 * entry. `routeVersion` is null when the ticket was no longer in `from` (the caller aborts).
 */
export async function insertOffer(
  db: DbClient,
  o: { ticketId: string; unitId: string; from: TicketStatus; timeoutSec: number; actor: { id: string | null; role: string }; forced: boolean },
): Promise<PlacedOffer> {
  const { rows } = await db.query<LockedAssignment & { unitVersion: number; routeVersion: number | null }>({
    name: 'insert-offer',
    text: `WITH a AS (
       INSERT INTO assignments (ticket_id, unit_id, status, offered_at, answer_due_at, offered_by, forced)
       SELECT $1, $2, 'offered', c.at, c.at + make_interval(secs => $3), $4, $5 FROM (SELECT clock_timestamp() AS at) c
       RETURNING ${ASSIGNMENT_COLS}),
     u AS (UPDATE units SET status = 'busy', version = version + 1, updated_at = now() WHERE id = $2 RETURNING version),
     t AS (UPDATE tickets SET status = 'offered', updated_at = now() WHERE id = $1 AND status = $6 RETURNING route_version),
     e AS (INSERT INTO ticket_events (ticket_id, actor_id, actor_role, action, details)
           SELECT $1, $4, $7, 'offered', jsonb_build_object(
             'from', $6::text, 'to', 'offered', 'assignmentId', a.id, 'unitId', $2::uuid, 'forced', $5::boolean)
           FROM a, t)
     SELECT a.*, (SELECT version FROM u) AS "unitVersion", (SELECT route_version FROM t) AS "routeVersion" FROM a`,
    values: [o.ticketId, o.unitId, o.timeoutSec, o.actor.id, o.forced, o.from, o.actor.role],
  });
  const { unitVersion, routeVersion, ...assignment } = rows[0]!;
  return { assignment, unitVersion, routeVersion };
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

/**
 * Moves a ticket's status; stamps the time of each milestone and bumps the routing version on
 * re-queue. Returns the routing version, or null when the ticket was not in `from`.
 */
export async function updateTicketStatus(
  db: DbClient, id: string, from: TicketStatus, to: TicketStatus, change: TicketChange = {},
): Promise<number | null> {
  const { rows } = await db.query<{ routeVersion: number }>(
    `UPDATE tickets SET status = $3, updated_at = now(),
       accepted_at = CASE WHEN $3 = 'accepted' THEN now() ELSE accepted_at END,
       on_scene_at = CASE WHEN $3 = 'on_scene' THEN now() ELSE on_scene_at END,
       resolved_at = CASE WHEN $3 = 'resolved' THEN now() ELSE resolved_at END,
       ended_at = CASE WHEN $3 IN ('resolved','closed','cancelled','merged') THEN COALESCE(ended_at, now()) ELSE ended_at END,
       route_version = route_version + CASE WHEN $3 = 'queued' THEN 1 ELSE 0 END,
       cancel_reason = COALESCE($4, cancel_reason),
       merged_into = COALESCE($5, merged_into),
       satisfaction = COALESCE($6, satisfaction),
       close_note = COALESCE($7, close_note)
     WHERE id = $1 AND status = $2
     RETURNING route_version AS "routeVersion"`,
    [id, from, to, change.cancelReason ?? null, change.mergedInto ?? null, change.satisfaction ?? null, change.closeNote ?? null]);
  return rows[0]?.routeVersion ?? null;
}

/** Sets a unit's status; the version bump gives the next "unit freed" job a fresh id. */
export async function updateUnitStatus(db: DbClient, id: string, status: LockedUnit['status']): Promise<number> {
  const { rows } = await db.query<{ version: number }>(
    `UPDATE units SET status = $2, version = version + 1, updated_at = now() WHERE id = $1 RETURNING version`, [id, status]);
  return rows[0]!.version;
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
}

/** The API shapes of what an operation touched, in one round trip, for its events. */
export async function snapshot(
  db: DbClient, ids: { ticketId: string | null; assignmentId: string | null; unitIds: string[] },
): Promise<Snapshot> {
  const { rows } = await db.query<Snapshot>({
    name: 'snapshot',
    text: `SELECT (SELECT ticket_json(t) FROM tickets t WHERE t.id = $1) AS ticket,
            (SELECT assignment_json(a) FROM assignments a WHERE a.id = $2) AS assignment,
            COALESCE((SELECT jsonb_agg(unit_json(u)) FROM units u WHERE u.id = ANY($3::uuid[])), '[]') AS units`,
    values: [ids.ticketId, ids.assignmentId, ids.unitIds],
  });
  return rows[0]!;
}

export async function unitJson(db: DbClient | Pool, unitId: string): Promise<Record<string, unknown> | null> {
  const { rows } = await db.query<{ unit: Record<string, unknown> }>('SELECT unit_json(u) AS unit FROM units u WHERE id = $1', [unitId]);
  return rows[0]?.unit ?? null;
}

/** Queued tickets that some free, eligible unit could take now: what routing should be doing. */
export async function routableTickets(db: Pool, limit: number) {
  const { rows } = await db.query<{ ticketId: string; version: number; priority: Priority }>(
    `SELECT t.id AS "ticketId", t.route_version AS version, t.priority
     FROM tickets t
     WHERE t.status = 'queued' AND t.category <> 'unclassified'
       AND EXISTS (SELECT 1 FROM units u
                   WHERE u.type = t.category AND u.status = 'available'
                     AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.ticket_id = t.id AND a.unit_id = u.id
                                       AND a.status IN ('declined','expired')))
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
