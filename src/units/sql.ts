import type { DbClient, Pool } from '../db/pool.js';

export type UnitJson = Record<string, unknown> & { id: string };

/** Inserts a unit (off duty); null when the callsign is taken. */
export async function insertUnit(
  db: DbClient, u: { callsign: string; type: string; lat: number | null; lon: number | null },
): Promise<UnitJson | null> {
  const { rows } = await db.query<{ unit: UnitJson }>(
    `INSERT INTO units (callsign, type, lat, lon) VALUES ($1, $2, $3, $4)
     ON CONFLICT (callsign) DO NOTHING RETURNING unit_json(units) AS unit`,
    [u.callsign, u.type, u.lat, u.lon]);
  return rows[0]?.unit ?? null;
}

export async function updateUnitLocation(db: DbClient, id: string, lat: number, lon: number): Promise<UnitJson | null> {
  const { rows } = await db.query<{ unit: UnitJson }>(
    'UPDATE units SET lat = $2, lon = $3, updated_at = now() WHERE id = $1 RETURNING unit_json(units) AS unit', [id, lat, lon]);
  return rows[0]?.unit ?? null;
}

export async function getUnit(db: Pool, id: string): Promise<UnitJson | null> {
  const { rows } = await db.query<{ unit: UnitJson }>('SELECT unit_json(u) AS unit FROM units u WHERE id = $1', [id]);
  return rows[0]?.unit ?? null;
}

/** Units by callsign, keyset-paged; one extra row tells whether another page exists. */
export async function listUnits(
  db: Pool, f: { type?: string; status?: string; after: [string, string] | null; limit: number },
): Promise<Array<{ unit: UnitJson; key: [string, string] }>> {
  const { rows } = await db.query<{ unit: UnitJson; callsign: string; id: string }>(
    `SELECT unit_json(u) AS unit, u.callsign, u.id::text FROM units u
     WHERE ($1::text IS NULL OR u.type = $1) AND ($2::text IS NULL OR u.status = $2)
       AND ($3::text IS NULL OR (u.callsign, u.id) > ($3, $4::uuid))
     ORDER BY u.callsign, u.id LIMIT $5`,
    [f.type ?? null, f.status ?? null, f.after?.[0] ?? null, f.after?.[1] ?? null, f.limit + 1]);
  return rows.map((row) => ({ unit: row.unit, key: [row.callsign, row.id] }));
}
