import { createHash, randomBytes } from 'node:crypto';
import { readFileSync, readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import pg from 'pg';

const BASE = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres';
export const ADMIN_URL = BASE;
const MIGRATIONS = fileURLToPath(new URL('../../migrations', import.meta.url));

/**
 * The template is named after the migrations it holds, so concurrent runs of the suite share it
 * when the schema is the same and never drop one another's.
 */
export const TEMPLATE_DB = `l110_tpl_${createHash('sha256')
  .update(readdirSync(MIGRATIONS).sort().map((file) => file + readFileSync(`${MIGRATIONS}/${file}`, 'utf8')).join('\0'))
  .digest('hex').slice(0, 12)}`;

export function databaseUrl(name: string): string {
  const url = new URL(BASE);
  url.pathname = `/${name}`;
  return url.toString();
}

export function uniqueName(kind: string): string {
  return `l110_${kind}_${randomBytes(5).toString('hex')}`;
}

export async function admin<T>(work: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: ADMIN_URL });
  await client.connect();
  try {
    return await work(client);
  } finally {
    await client.end();
  }
}

/** A database of this test file's own, cloned from the migrated template. */
export async function createTestDatabase(): Promise<{ name: string; url: string; drop(): Promise<void> }> {
  const name = uniqueName('t');
  // Cloning needs the template to have no other session; parallel files may be cloning too.
  for (let attempt = 0; ; attempt++) {
    try {
      await admin((c) => c.query(`CREATE DATABASE ${name} TEMPLATE ${TEMPLATE_DB}`));
      break;
    } catch (error) {
      if ((error as { code?: string }).code !== '55006' || attempt > 50) throw error;
      await new Promise((resolve) => setTimeout(resolve, 50 + Math.random() * 100));
    }
  }
  return {
    name,
    url: databaseUrl(name),
    drop: () => admin((c) => c.query(`DROP DATABASE IF EXISTS ${name} WITH (FORCE)`)).then(() => undefined),
  };
}
