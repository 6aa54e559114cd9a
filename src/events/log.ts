import pg from 'pg';
import type { DbClient, Pool } from '../db/pool.js';
import type { StoredEvent } from './types.js';

/**
 * Appends events as the transaction's last statement and commits, in one round trip (a simple
 * query may hold two statements). Each part is a JSON array of {type, rooms, data}, sent as an
 * escaped literal; append_events() (migrations/002) takes the lock the relay's watermark waits
 * on. If the append fails, COMMIT never runs.
 */
export async function appendEventsAndCommit(client: DbClient, parts: readonly string[]): Promise<void> {
  const events = parts.map((part) => `${pg.escapeLiteral(part)}::jsonb`).join(' || ');
  await client.query(`SELECT append_events(${events}); COMMIT`);
}

/** Highest seq below which no transaction can still add an event. */
export async function eventWatermark(pool: Pool): Promise<number> {
  const { rows } = await pool.query<{ wm: number }>('SELECT event_watermark() AS wm');
  return Number(rows[0]!.wm);
}

/**
 * The watermark and the first `limit` events above `after` up to it, in one round trip; on the
 * relay leader's session (relay_batch in migrations/003 locks at session level).
 */
export async function relayBatch(client: pg.Client, after: number, limit: number): Promise<{ watermark: number; events: StoredEvent[] }> {
  const { rows } = await client.query<{ batch: { watermark: number; events: StoredEvent[] } }>(
    { name: 'relay-batch', text: 'SELECT relay_batch($1, $2) AS batch', values: [after, limit] });
  return rows[0]!.batch;
}

const SELECT_EVENT = `SELECT seq, type, rooms, to_char(at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS at, data FROM events`;

/** Events with after < seq <= upTo, in seq order. */
export async function eventsBetween(pool: Pool, after: number, upTo: number, limit: number): Promise<StoredEvent[]> {
  const { rows } = await pool.query<StoredEvent>(
    `${SELECT_EVENT} WHERE seq > $1 AND seq <= $2 ORDER BY seq LIMIT $3`, [after, upTo, limit]);
  return rows;
}

/** Events for a replay: after a seq, within the replay window, addressed to any of the rooms. */
export async function eventsForReplay(
  pool: Pool, after: number, upTo: number, rooms: string[], windowHours: number, limit: number,
): Promise<StoredEvent[]> {
  const { rows } = await pool.query<StoredEvent>(
    `${SELECT_EVENT}
     WHERE seq > $1 AND seq <= $2 AND rooms && $3::text[] AND at > now() - make_interval(hours => $4)
     ORDER BY seq LIMIT $5`,
    [after, upTo, rooms, windowHours, limit]);
  return rows;
}
