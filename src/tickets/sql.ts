import type { DbClient, Pool } from '../db/pool.js';
import type { Priority } from '../config.js';
import { DISPATCH_ROOM } from '../events/types.js';

export type TicketJson = Record<string, unknown> & { id: string; status: string };

export interface NewTicketRow {
  category: string;
  priority: Priority;
  classification: object;
  callerPhone: string;
  callerName: string | null;
  address: string | null;
  lat: number;
  lon: number;
  description: string;
  createdBy: string;
  /** The audit entry of the creation, written by the same statement. */
  audit: { actorRole: string; details: object };
  /** What the classifier said when the operator's category or priority differs: stored as a correction. */
  correctedFrom: { category: string; priority: string } | null;
  timeZone: string;
}

export interface CreatedTicket {
  ticket: TicketJson;
  createdAt: Date;
  dues: { assign: Date; arrive: Date; resolve: Date };
  routeVersion: number;
  /** The ticket.created event as JSON text, when the statement did not append it itself. */
  events: string | null;
}

/** SLA policy of a ticket: unclassified tickets are held to the police policy of their priority. */
const POLICY_MATCH = `p.category = CASE WHEN $1 = 'unclassified' THEN 'police' ELSE $1 END AND p.priority = $2`;

/**
 * Inserts a ticket numbered for the city's calendar day, with due times from the current policy,
 * its 'created' audit entry and the operator's correction of the classifier if any, in one
 * statement. As a transaction of its own (`appendEvents`) it appends its ticket.created event
 * too; inside a longer one it returns the event for the transaction to append with COMMIT.
 */
export async function insertTicket(db: DbClient, t: NewTicketRow, appendEvents: boolean): Promise<CreatedTicket> {
  const { rows } = await db.query<CreatedTicket & { assignDueAt: Date; arriveDueAt: Date; resolveDueAt: Date }>(
    {
      // Named: parsed and planned once per connection, not on every call of the intake path.
      name: 'insert-ticket',
      text: `WITH inserted AS (
       INSERT INTO tickets (number, status, category, priority, classification, caller_phone, caller_name, address,
                            lat, lon, description, created_by, assign_due_at, arrive_due_at, resolve_due_at)
       SELECT next_ticket_number((now() AT TIME ZONE $11)::date), 'queued', $1, $2, $3, $4, $5, $6, $7, $8, $9, $10,
              now() + make_interval(secs => p.assign_sec), now() + make_interval(secs => p.arrive_sec),
              now() + make_interval(secs => p.resolve_sec)
       FROM sla_policies p WHERE ${POLICY_MATCH}
       RETURNING *),
     audit AS (
       INSERT INTO ticket_events (ticket_id, at, actor_id, actor_role, action, details)
       SELECT id, created_at, created_by, $12, 'created', $13 FROM inserted),
     correction AS (
       INSERT INTO classification_corrections (ticket_id, text, category, priority, auto_category, auto_priority, created_by)
       SELECT id, description, category, priority, $14, $15, created_by FROM inserted WHERE $14::text IS NOT NULL),
     shaped AS MATERIALIZED (
       SELECT ticket_json(inserted) AS ticket, created_at AS "createdAt", route_version AS "routeVersion",
              assign_due_at AS "assignDueAt", arrive_due_at AS "arriveDueAt", resolve_due_at AS "resolveDueAt"
       FROM inserted),
     announced AS MATERIALIZED (
       SELECT jsonb_build_array(jsonb_build_object(
                'type', 'ticket.created', 'rooms', jsonb_build_array('${DISPATCH_ROOM}'), 'data', ticket)) AS events
       FROM shaped)
     SELECT shaped.*, CASE WHEN $16 THEN append_events(events) END AS appended,
            CASE WHEN $16 THEN NULL ELSE events::text END AS events
     FROM shaped, announced`,
      values: [t.category, t.priority, JSON.stringify(t.classification), t.callerPhone, t.callerName, t.address,
        t.lat, t.lon, t.description, t.createdBy, t.timeZone, t.audit.actorRole, JSON.stringify(t.audit.details),
        t.correctedFrom?.category ?? null, t.correctedFrom?.priority ?? null, appendEvents],
    });
  const row = rows[0]!;
  return {
    ticket: row.ticket, createdAt: row.createdAt, routeVersion: row.routeVersion, events: row.events,
    dues: { assign: row.assignDueAt, arrive: row.arriveDueAt, resolve: row.resolveDueAt },
  };
}

export interface TicketCore {
  id: string;
  status: string;
  category: string;
  priority: Priority;
  description: string;
  address: string | null;
  lat: number;
  lon: number;
  classification: Record<string, unknown>;
  createdAt: Date;
  routeVersion: number;
  number: string;
  acceptedAt: Date | null;
  onSceneAt: Date | null;
  resolvedAt: Date | null;
}

export async function lockTicketForEdit(db: DbClient, id: string): Promise<TicketCore | null> {
  const { rows } = await db.query<TicketCore>(
    `SELECT id, number, status, category, priority, description, address, lat, lon, classification,
            created_at AS "createdAt", route_version AS "routeVersion", accepted_at AS "acceptedAt",
            on_scene_at AS "onSceneAt", resolved_at AS "resolvedAt"
     FROM tickets WHERE id = $1 FOR NO KEY UPDATE`, [id]);
  return rows[0] ?? null;
}

/** In an UPDATE of tickets t, whether the edit changes the ticket's category or priority ($1, $2). */
const RECLASSIFIED = `(t.category <> $1 OR t.priority <> $2)`;

export interface TicketEdit {
  category: string;
  priority: Priority;
  description: string;
  address: string | null;
  lat: number;
  lon: number;
  classification: object;
}

/**
 * Writes a correction. A new category or priority recomputes the due times from its policy and
 * the original creation time, so a correction never restarts the clock; any other edit (a typo in
 * the description, a moved pin) keeps them, or a policy changed since would apply to an old ticket.
 */
export async function updateTicketFields(db: DbClient, id: string, e: TicketEdit) {
  const { rows } = await db.query<{ assignDueAt: Date; arriveDueAt: Date; resolveDueAt: Date; createdAt: Date }>(
    `UPDATE tickets t SET category = $1, priority = $2, description = $4, address = $5, lat = $6, lon = $7,
       classification = $8, updated_at = now(),
       assign_due_at = CASE WHEN ${RECLASSIFIED} THEN t.created_at + make_interval(secs => p.assign_sec) ELSE t.assign_due_at END,
       arrive_due_at = CASE WHEN ${RECLASSIFIED} THEN t.created_at + make_interval(secs => p.arrive_sec) ELSE t.arrive_due_at END,
       resolve_due_at = CASE WHEN ${RECLASSIFIED} THEN t.created_at + make_interval(secs => p.resolve_sec) ELSE t.resolve_due_at END
     FROM sla_policies p
     WHERE t.id = $3 AND ${POLICY_MATCH}
     RETURNING t.created_at AS "createdAt", t.assign_due_at AS "assignDueAt", t.arrive_due_at AS "arriveDueAt",
               t.resolve_due_at AS "resolveDueAt"`,
    [e.category, e.priority, id, e.description, e.address, e.lat, e.lon, JSON.stringify(e.classification)]);
  return rows[0]!;
}

export async function ticketJson(db: Pool | DbClient, id: string): Promise<TicketJson | null> {
  const { rows } = await db.query<{ ticket: TicketJson }>('SELECT ticket_json(t) AS ticket FROM tickets t WHERE id = $1', [id]);
  return rows[0]?.ticket ?? null;
}

export async function auditTrail(db: Pool | DbClient, ticketId: string) {
  const { rows } = await db.query(
    `SELECT id, iso(at) AS at, actor_id AS "actorId", actor_role AS "actorRole", action, details
     FROM ticket_events WHERE ticket_id = $1 ORDER BY id`, [ticketId]);
  return rows;
}

/** Whether the unit ever held (was offered) this ticket: what lets its responder read it. */
export async function unitHeldTicket(db: Pool, unitId: string, ticketId: string): Promise<boolean> {
  const { rowCount } = await db.query('SELECT 1 FROM assignments WHERE ticket_id = $1 AND unit_id = $2 LIMIT 1', [ticketId, unitId]);
  return (rowCount ?? 0) > 0;
}

export interface TicketFilter {
  status?: string;
  category?: string;
  priority?: string;
  before: [string, string] | null;
  limit: number;
}

/** Newest first, keyset-paged by (created_at, id); fetches one extra row to know if a next page exists. */
export async function listTickets(db: Pool, f: TicketFilter): Promise<Array<{ ticket: TicketJson; key: [string, string] }>> {
  const { rows } = await db.query<{ ticket: TicketJson; createdAt: string; id: string }>(
    `SELECT ticket_json(t) AS ticket, to_char(t.created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "createdAt", t.id
     FROM tickets t
     WHERE ($1::text IS NULL OR t.status = $1) AND ($2::text IS NULL OR t.category = $2)
       AND ($3::text IS NULL OR t.priority = $3)
       AND ($4::timestamptz IS NULL OR (t.created_at, t.id) < ($4::timestamptz, $5::uuid))
     ORDER BY t.created_at DESC, t.id DESC
     LIMIT $6`,
    [f.status ?? null, f.category ?? null, f.priority ?? null, f.before?.[0] ?? null, f.before?.[1] ?? null, f.limit + 1]);
  return rows.map((row) => ({ ticket: row.ticket, key: [row.createdAt, row.id] }));
}

export type KeyClaim = { owned: true } | { owned: false; requestHash: string; ticketId: string | null };

/**
 * Claims an idempotency key for this request. A concurrent claim of the same key waits here for
 * the first transaction to finish, then sees its ticket; a key older than 24 h is free again.
 */
export async function claimIdempotencyKey(db: DbClient, key: string, requestHash: string): Promise<KeyClaim> {
  const claimed = await db.query(
    `INSERT INTO idempotency_keys (key, request_hash) VALUES ($1, $2)
     ON CONFLICT (key) DO UPDATE SET request_hash = EXCLUDED.request_hash, ticket_id = NULL, created_at = now()
       WHERE idempotency_keys.created_at < now() - interval '24 hours'
     RETURNING key`, [key, requestHash]);
  if (claimed.rowCount) return { owned: true };
  const { rows } = await db.query<{ requestHash: string; ticketId: string | null }>(
    'SELECT request_hash AS "requestHash", ticket_id AS "ticketId" FROM idempotency_keys WHERE key = $1', [key]);
  return { owned: false, ...rows[0]! };
}

export async function bindIdempotencyKey(db: DbClient, key: string, ticketId: string): Promise<void> {
  await db.query('UPDATE idempotency_keys SET ticket_id = $2 WHERE key = $1', [key, ticketId]);
}

export async function insertCorrection(
  db: DbClient,
  c: { ticketId: string; text: string; category: string; priority: string; autoCategory: string; autoPriority: string; by: string | null },
): Promise<void> {
  await db.query(
    `INSERT INTO classification_corrections (ticket_id, text, category, priority, auto_category, auto_priority, created_by)
     VALUES ($1, $2, $3, $4, $5, $6, $7)`,
    [c.ticketId, c.text, c.category, c.priority, c.autoCategory, c.autoPriority, c.by]);
}
