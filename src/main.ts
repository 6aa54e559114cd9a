import pino from 'pino';
import { bootstrapAdmin } from './auth/bootstrap.js';
import { createClassifier } from './classify/classifier.js';
import { ConfigError, loadConfig, type Config } from './config.js';
import { ensureDatabase, migrate } from './db/migrate.js';
import { createPool } from './db/pool.js';
import { createCommandRedis } from './redis.js';
import { startRoles } from './roles.js';
import { createServices } from './services.js';

let config: Config;
try {
  config = loadConfig();
} catch (error) {
  if (!(error instanceof ConfigError)) throw error;
  console.error(`configuration refused: ${error.message}`);
  process.exit(1);
}

const logger = pino({ level: config.logLevel, base: { pid: process.pid, roles: [...config.roles].join(',') } });

// Log and exit: a process in an unknown state must not keep taking calls; the supervisor restarts it.
process.on('uncaughtException', (error) => { logger.fatal({ err: error }, 'uncaught exception'); process.exit(1); });
process.on('unhandledRejection', (error) => { logger.fatal({ err: error }, 'unhandled rejection'); process.exit(1); });

await ensureDatabase(config.databaseUrl);
const applied = await migrate(config.databaseUrl);
if (applied.length) logger.info({ applied }, 'migrations applied');

const pool = createPool(config.databaseUrl);
const redis = createCommandRedis(config.redisUrl, 'l110-commands');
const services = createServices({ config, logger, pool, redis, classifier: createClassifier() });
await bootstrapAdmin(pool, config.admin, logger);
const running = await startRoles(services, config.roles, { port: config.port, host: config.host });
logger.info({ port: config.port, host: config.host, roles: [...config.roles] }, 'livelihood110 started');

let stopping = false;
async function shutdown(signal: string): Promise<void> {
  if (stopping) return;
  stopping = true;
  logger.info({ signal }, 'shutting down');
  const force = setTimeout(() => { logger.error('shutdown took too long'); process.exit(1); }, 15000);
  force.unref();
  await running.close();
  await services.jobs.close();
  await redis.quit().catch(() => redis.disconnect());
  await pool.end();
  logger.info('stopped');
  process.exit(0);
}
process.on('SIGTERM', () => void shutdown('SIGTERM'));
process.on('SIGINT', () => void shutdown('SIGINT'));
