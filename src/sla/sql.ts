import pg from 'pg';
import type { DbClient, Pool } from '../db/pool.js';
import type { Tx } from '../db/tx.js';
import type { SlaKind, SlaStage } from '../jobs/registry.js';

export interface PolicyRow {
  category: string;
  priority: string;
  assignSec: number;
  arriveSec: number;
  resolveSec: number;
  updatedAt: string;
}

const POLICY_COLS = `category, priority, assign_sec AS "assignSec", arrive_sec AS "arriveSec",
  resolve_sec AS "resolveSec", iso(updated_at) AS "updatedAt"`;

export async function listPolicies(db: Pool): Promise<PolicyRow[]> {
  const { rows } = await db.query<PolicyRow>(`SELECT ${POLICY_COLS} FROM sla_policies ORDER BY category, priority`);
  return rows;
}

export async function upsertPolicy(db: Pool, p: Omit<PolicyRow, 'updatedAt'>): Promise<PolicyRow> {
  const { rows } = await db.query<PolicyRow>(
    `INSERT INTO sla_policies (category, priority, assign_sec, arrive_sec, resolve_sec) VALUES ($1, $2, $3, $4, $5)
     ON CONFLICT (category, priority) DO UPDATE SET assign_sec = $3, arrive_sec = $4, resolve_sec = $5, updated_at = now()
     RETURNING ${POLICY_COLS}`,
    [p.category, p.priority, p.assignSec, p.arriveSec, p.resolveSec]);
  return rows[0]!;
}

/** Each stage's due time and the column that says it was met. */
const STAGE_TABLE = `(VALUES ('assign', t.assign_due_at, t.accepted_at),
                              ('arrive', t.arrive_due_at, t.on_scene_at),
                              ('resolve', t.resolve_due_at, t.resolved_at)) AS s(stage, due_at, met_at)`;

/** When an alert is due (migrations/006). */
const ALERT_AT = 'sla_alert_at(k.kind, t.created_at, s.due_at)';

/** The next alert an open ticket owes, as tickets_next_alert_idx indexes it (migrations/008). */
const NEXT_ALERT_AT = `sla_next_alert_at(t.created_at, t.assign_due_at, t.accepted_at, t.arrive_due_at, t.on_scene_at,
  t.resolve_due_at, t.resolved_at, t.sla_recorded)`;

export interface AlertRecorded {
  ticketId: string;
  number: string;
  stage: SlaStage;
  kind: SlaKind;
  category: string;
  priority: string;
  dueAt: string;
  at: string;
}

const RECORD = `
  INSERT INTO sla_alerts (ticket_id, stage, kind, due_at, category, priority)
  SELECT ticket_id, stage, kind, due_at, category, priority FROM candidates
  ON CONFLICT DO NOTHING
  RETURNING ticket_id AS "ticketId", stage, kind, category, priority, iso(due_at) AS "dueAt", iso(at) AS at,
            (SELECT number FROM tickets WHERE id = ticket_id) AS number`;

/**
 * The alerts a ticket still owes: both kinds of each unmet stage of an open ticket, with no row
 * yet. `t` is the ticket; the caller narrows it. A stage met, or a ticket ended, after an alert
 * came due had that alert recorded by the operation that met or ended it (record_owed_alerts,
 * migrations/004 and 006), so timers and the sweep need not look at met stages or ended tickets.
 */
const OWED = `tickets t CROSS JOIN LATERAL ${STAGE_TABLE} CROSS JOIN (VALUES ('warning'), ('breach')) AS k(kind)
  WHERE t.status NOT IN ('cancelled','merged','resolved','closed') AND s.met_at IS NULL
    AND NOT EXISTS (SELECT 1 FROM sla_alerts a WHERE a.ticket_id = t.id AND a.stage = s.stage AND a.kind = k.kind)`;

/**
 * A timer's first statement, with its BEGIN: holds the ticket as an operation does (FOR NO KEY
 * UPDATE), so it waits for one in flight and then reads what that operation committed. An accept
 * that began before the due time and commits after it met the stage in time; a timer that read
 * past it breached the stage all the same. Holding it also keeps the sweep off the ticket: every
 * writer of a ticket's alerts holds the ticket, so no two insert the same alert at once.
 */
export async function awaitOperationsOn(tx: Tx, ticketId: string): Promise<void> {
  await tx.beginWith(`SELECT 1 FROM tickets WHERE id = ${pg.escapeLiteral(ticketId)}::uuid FOR NO KEY UPDATE`);
}

/**
 * A ticket's timer fired: records every alert of it that has come due, and says how soon the
 * next one is due (null when it owes none). The primary key makes each alert once-only whoever
 * gets there first: timer, replayed job or sweep. now() is when this transaction began, after
 * the timer fired; the alert row's time is the same now(), so no alert is recorded before it is
 * due.
 */
export async function recordDueAlerts(db: DbClient, ticketId: string): Promise<{ recorded: AlertRecorded[]; nextInMs: number | null }> {
  const inserted = await db.query<AlertRecorded>(
    `WITH candidates AS (
       SELECT t.id AS ticket_id, s.stage, k.kind, s.due_at, t.category, t.priority
       FROM ${OWED} AND t.id = $1 AND ${ALERT_AT} <= now())
     ${RECORD}`, [ticketId]);
  // How long until the next one by PostgreSQL's clock, the one that judges it due: a worker whose
  // clock ran ahead would otherwise fire early, find nothing due and fire again at once.
  const next = await db.query<{ nextInMs: number | null }>(
    `SELECT extract(epoch FROM min(${ALERT_AT}) - clock_timestamp())::float8 * 1000 AS "nextInMs"
     FROM ${OWED} AND t.id = $1`, [ticketId]);
  return { recorded: inWarningOrder(inserted.rows), nextInMs: next.rows[0]?.nextInMs ?? null };
}

/**
 * The sweep: every alert of an open ticket's unmet stage that came due more than `graceMs` ago
 * and has no row yet. Catches what timers lost to a crash or a Redis flush. It reads only the
 * tickets that owe an alert by now, through the index on each ticket's next alert, not every open
 * ticket. A ticket that an operation, a timer or a routing pass holds is left to the next pass:
 * the operation may be meeting the stage, and records what the ticket owed itself when it
 * announces (record_owed_alerts); and the sweep, holding other tickets while it waited there,
 * could close a cycle of waits. Operations and timers wait for a batch's transaction in turn
 * (tens of ms for a thousand alerts). A ticket held at every pass would never be swept;
 * operations, timers and routing passes hold a ticket for milliseconds.
 */
export async function recordOverdueAlerts(db: DbClient, graceMs: number, limit: number): Promise<AlertRecorded[]> {
  const { rows } = await db.query<AlertRecorded>(
    `WITH candidates AS (
       SELECT t.id AS ticket_id, s.stage, k.kind, s.due_at, t.category, t.priority
       FROM ${OWED} AND ${NEXT_ALERT_AT} < now() - make_interval(secs => $1::float8 / 1000)
         AND ${ALERT_AT} < now() - make_interval(secs => $1::float8 / 1000)
       ORDER BY ${ALERT_AT}
       LIMIT $2
       FOR NO KEY UPDATE OF t SKIP LOCKED)
     ${RECORD}`, [graceMs, limit]);
  return inWarningOrder(rows);
}

const STAGE_ORDER: Record<SlaStage, number> = { assign: 0, arrive: 1, resolve: 2 };

/** Warnings are pushed before the breaches recorded with them, each kind in stage order. */
function inWarningOrder(alerts: AlertRecorded[]): AlertRecorded[] {
  const rank = (a: AlertRecorded) => (a.kind === 'warning' ? 0 : 3) + STAGE_ORDER[a.stage];
  return alerts.sort((a, b) => rank(a) - rank(b));
}

export interface PendingTimer {
  ticketId: string;
  /** The first alert the ticket owes; in the past when one is overdue. */
  alertAt: Date;
}

const FIRST_OWED = `SELECT t.id AS "ticketId", min(${ALERT_AT}) AS "alertAt" FROM ${OWED}`;

/** Open tickets that owe an alert, and when the first is due: what the timers in Redis should be. */
export async function pendingTimers(db: Pool, afterTicketId: string | null, limit: number): Promise<PendingTimer[]> {
  const { rows } = await db.query<PendingTimer>(
    `${FIRST_OWED} AND ($1::uuid IS NULL OR t.id > $1) GROUP BY t.id ORDER BY t.id LIMIT $2`, [afterTicketId, limit]);
  return rows;
}

/** The same for the given tickets: those that still owe an alert. */
export async function timersOf(db: Pool, ticketIds: string[]): Promise<PendingTimer[]> {
  const { rows } = await db.query<PendingTimer>(`${FIRST_OWED} AND t.id = ANY($1::uuid[]) GROUP BY t.id`, [ticketIds]);
  return rows;
}

export interface BreachFilter {
  since?: string;
  stage?: string;
  category?: string;
  priority?: string;
  before: [string, string, string] | null;
  limit: number;
}

/** Breaches newest first, keyset-paged by (time, ticket, stage). */
export async function listBreaches(db: Pool, f: BreachFilter) {
  const { rows } = await db.query<{ item: Record<string, unknown>; at: string; ticketId: string; stage: string }>(
    `SELECT jsonb_build_object('ticketId', a.ticket_id, 'number', t.number, 'stage', a.stage, 'category', a.category,
              'priority', a.priority, 'dueAt', iso(a.due_at), 'breachedAt', iso(a.at), 'status', t.status) AS item,
            to_char(a.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS at, a.ticket_id::text AS "ticketId", a.stage
     FROM sla_alerts a JOIN tickets t ON t.id = a.ticket_id
     WHERE a.kind = 'breach'
       AND ($1::timestamptz IS NULL OR a.at >= $1) AND ($2::text IS NULL OR a.stage = $2)
       AND ($3::text IS NULL OR a.category = $3) AND ($4::text IS NULL OR a.priority = $4)
       AND ($5::timestamptz IS NULL OR (a.at, a.ticket_id, a.stage) < ($5::timestamptz, $6::uuid, $7::text))
     ORDER BY a.at DESC, a.ticket_id DESC, a.stage DESC
     LIMIT $8`,
    [f.since ?? null, f.stage ?? null, f.category ?? null, f.priority ?? null,
      f.before?.[0] ?? null, f.before?.[1] ?? null, f.before?.[2] ?? null, f.limit + 1]);
  return rows.map((row) => ({ item: row.item, key: [row.at, row.ticketId, row.stage] as [string, string, string] }));
}
