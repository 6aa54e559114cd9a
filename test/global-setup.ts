import { execFileSync } from 'node:child_process';
import pg from 'pg';
import { migrate } from '../src/db/migrate.js';
import { ADMIN_URL, TEMPLATE_DB, databaseUrl } from './support/db.js';

/** Once per run: services up, and a freshly migrated template every test file's database is cloned from. */
export default async function setup(): Promise<void> {
  execFileSync('bash', ['scripts/services.sh'], { stdio: 'inherit' });
  const admin = new pg.Client({ connectionString: ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`DROP DATABASE IF EXISTS ${TEMPLATE_DB} WITH (FORCE)`);
    await admin.query(`CREATE DATABASE ${TEMPLATE_DB}`);
  } finally {
    await admin.end();
  }
  await migrate(databaseUrl(TEMPLATE_DB));
}
