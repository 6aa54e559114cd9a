import { loadConfig } from '../config.js';
import { ensureDatabase, migrate } from './migrate.js';

try {
  const config = loadConfig();
  await ensureDatabase(config.databaseUrl);
  const applied = await migrate(config.databaseUrl, (msg) => console.log(msg));
  console.log(applied.length ? `applied: ${applied.join(', ')}` : 'no pending migrations');
} catch (error) {
  console.error(`migration failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
