import pg from 'pg';

// Timestamps and bigints come back as text; the repositories decide how to present them.
pg.types.setTypeParser(pg.types.builtins.INT8, (value) => Number(value));

export type Pool = pg.Pool;
export type DbClient = pg.PoolClient;

export interface PoolOptions {
  max?: number;
  applicationName?: string;
}

/** The one place that opens a PostgreSQL pool. */
export function createPool(databaseUrl: string, options: PoolOptions = {}): Pool {
  const pool = new pg.Pool({
    connectionString: databaseUrl,
    max: options.max ?? 20,
    application_name: options.applicationName ?? 'livelihood110',
    connectionTimeoutMillis: 5000,
    // A statement stuck for this long means something is wrong; fail it rather than pile up.
    statement_timeout: 30000,
  });
  // An idle client losing its connection must not crash the process; the next query reconnects.
  pool.on('error', () => {});
  return pool;
}
