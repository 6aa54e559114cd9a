import { execFileSync } from 'node:child_process';
import { migrate } from '../src/db/migrate.js';
import { TEMPLATE_DB, admin, databaseUrl } from './support/db.js';

const SETUP_LOCK = 110199;

/** Once per run: services up, and a migrated template every test file's database is cloned from. */
export default async function setup(): Promise<void> {
  execFileSync('bash', ['scripts/services.sh'], { stdio: 'inherit' });
  await admin(async (client) => {
    // Two suites starting together must not both build the template.
    await client.query('SELECT pg_advisory_lock($1)', [SETUP_LOCK]);
    const { rowCount } = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [TEMPLATE_DB]);
    if (rowCount) return;
    const building = `${TEMPLATE_DB}_building`;
    await client.query(`DROP DATABASE IF EXISTS ${building} WITH (FORCE)`);
    await client.query(`CREATE DATABASE ${building}`);
    await migrate(databaseUrl(building));
    // Renamed only once complete, so a half-built template is never cloned.
    await client.query(`ALTER DATABASE ${building} RENAME TO ${TEMPLATE_DB}`);
  });
}
