import type { Logger } from 'pino';
import type { Pool } from '../db/pool.js';
import { hashPassword } from './password.js';
import { countUsers, insertUser } from './sql.js';

/** Creates the configured admin when the system has no user at all. */
export async function bootstrapAdmin(pool: Pool, admin: { username: string; password: string } | null, log: Logger) {
  if (!admin || (await countUsers(pool)) > 0) return;
  const created = await insertUser(pool, {
    username: admin.username, passwordHash: await hashPassword(admin.password), role: 'admin', unitId: null,
  });
  if (created) log.info({ username: admin.username }, 'bootstrap admin created');
}
