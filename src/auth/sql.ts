import type { DbClient, Pool } from '../db/pool.js';
import type { AuthUser, UserRole } from './roles.js';

export interface UserRow extends AuthUser {
  passwordHash: string;
  createdAt: string;
}

const COLUMNS = `id, username, role, unit_id AS "unitId", password_hash AS "passwordHash",
  to_char(created_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"') AS "createdAt"`;

export async function findUserByUsername(db: Pool | DbClient, username: string): Promise<UserRow | null> {
  const { rows } = await db.query<UserRow>(`SELECT ${COLUMNS} FROM users WHERE username = $1`, [username]);
  return rows[0] ?? null;
}

export async function countUsers(db: Pool | DbClient): Promise<number> {
  const { rows } = await db.query<{ n: number }>('SELECT count(*)::int AS n FROM users');
  return rows[0]!.n;
}

/** Inserts a user; null when the username is taken, 'unknown_unit' when the unit does not exist. */
export async function insertUser(
  db: Pool | DbClient,
  user: { username: string; passwordHash: string; role: UserRole; unitId: string | null },
): Promise<UserRow | null | 'unknown_unit'> {
  try {
    const { rows } = await db.query<UserRow>(
      `INSERT INTO users (username, password_hash, role, unit_id) VALUES ($1, $2, $3, $4)
       ON CONFLICT (username) DO NOTHING RETURNING ${COLUMNS}`,
      [user.username, user.passwordHash, user.role, user.unitId]);
    return rows[0] ?? null;
  } catch (error) {
    if ((error as { code?: string }).code === '23503') return 'unknown_unit';
    throw error;
  }
}
