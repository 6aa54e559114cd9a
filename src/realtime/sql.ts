import type { Pool } from '../db/pool.js';

export interface UndeliveredOffer {
  assignment: Record<string, unknown>;
  ticket: { id: string; number: string; category: string; priority: string };
  unit: { id: string; callsign: string; type: string };
}

/**
 * Live offers no device has acknowledged, oldest first, keyset-paged on (offered_at, id).
 * The key carries offered_at to the microsecond: the API's milliseconds would skip or repeat rows.
 */
export async function listUndeliveredOffers(
  db: Pool, page: { after: [string, string] | null; limit: number },
): Promise<Array<{ item: UndeliveredOffer; key: [string, string] }>> {
  const { rows } = await db.query<UndeliveredOffer & { offeredAt: string; id: string }>(
    `SELECT assignment_json(a) AS assignment,
            jsonb_build_object('id', t.id, 'number', t.number, 'category', t.category, 'priority', t.priority) AS ticket,
            jsonb_build_object('id', u.id, 'callsign', u.callsign, 'type', u.type) AS unit,
            to_char(a.offered_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"') AS "offeredAt", a.id::text AS id
     FROM assignments a
     JOIN tickets t ON t.id = a.ticket_id
     JOIN units u ON u.id = a.unit_id
     WHERE a.status = 'offered' AND a.delivered_at IS NULL
       AND ($1::timestamptz IS NULL OR (a.offered_at, a.id) > ($1::timestamptz, $2::uuid))
     ORDER BY a.offered_at, a.id
     LIMIT $3`,
    [page.after?.[0] ?? null, page.after?.[1] ?? null, page.limit + 1]);
  return rows.map(({ offeredAt, id, ...item }) => ({ item, key: [offeredAt, id] }));
}
