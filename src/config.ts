import { randomBytes } from 'node:crypto';

export type Role = 'api' | 'worker';
export type Priority = 'P1' | 'P2' | 'P3';

export interface Config {
  nodeEnv: string;
  port: number;
  host: string;
  databaseUrl: string;
  redisUrl: string;
  /** Prefix for every Redis key and channel this deployment uses (queues, adapter, relay). */
  redisPrefix: string;
  jwtSecret: string;
  admin: { username: string; password: string } | null;
  roles: ReadonlySet<Role>;
  logLevel: string;
  offerTimeoutSec: Record<Priority, number>;
  /** How often the worker compares Redis with PostgreSQL and repairs what Redis lost. */
  reconcileIntervalMs: number;
  /** Ticket numbers are per day in the city's own calendar, not UTC's. */
  ticketTimeZone: string;
}

export class ConfigError extends Error {
  override name = 'ConfigError';
}

type Env = Record<string, string | undefined>;

const LOG_LEVELS = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];

/** Reads and validates the environment once; nothing else in the code reads process.env. */
export function loadConfig(env: Env = process.env): Config {
  const nodeEnv = env.NODE_ENV ?? 'development';
  if (nodeEnv === 'production' && !env.JWT_SECRET) {
    throw new ConfigError('JWT_SECRET is required when NODE_ENV=production');
  }
  if (env.JWT_SECRET !== undefined && env.JWT_SECRET.length < 32) {
    throw new ConfigError('JWT_SECRET must be at least 32 characters');
  }
  return {
    nodeEnv,
    port: integer(env, 'PORT', 3000, 0, 65535),
    host: env.HOST ?? '127.0.0.1',
    databaseUrl: url(env, 'DATABASE_URL', 'postgres://postgres@127.0.0.1:5432/livelihood110', ['postgres:', 'postgresql:']),
    redisUrl: url(env, 'REDIS_URL', 'redis://127.0.0.1:6379', ['redis:', 'rediss:']),
    redisPrefix: word(env, 'REDIS_PREFIX', 'l110'),
    jwtSecret: env.JWT_SECRET ?? randomBytes(32).toString('hex'),
    admin: admin(env),
    roles: roles(env.ROLES ?? 'api,worker'),
    logLevel: oneOf(env, 'LOG_LEVEL', 'info', LOG_LEVELS),
    offerTimeoutSec: {
      P1: integer(env, 'OFFER_TIMEOUT_P1', 30, 1, 86400),
      P2: integer(env, 'OFFER_TIMEOUT_P2', 60, 1, 86400),
      P3: integer(env, 'OFFER_TIMEOUT_P3', 120, 1, 86400),
    },
    reconcileIntervalMs: integer(env, 'RECONCILE_INTERVAL_MS', 3000, 100, 600000),
    ticketTimeZone: timeZone(env.TICKET_TIMEZONE ?? 'Asia/Shanghai'),
  };
}

function integer(env: Env, name: string, fallback: number, min: number, max: number): number {
  const raw = env[name];
  if (raw === undefined || raw === '') return fallback;
  const value = Number(raw);
  if (!Number.isInteger(value) || value < min || value > max) {
    throw new ConfigError(`${name} must be an integer from ${min} to ${max}, got "${raw}"`);
  }
  return value;
}

function url(env: Env, name: string, fallback: string, protocols: string[]): string {
  const raw = env[name] || fallback;
  let parsed: URL;
  try {
    parsed = new URL(raw);
  } catch {
    throw new ConfigError(`${name} is not a URL`);
  }
  if (!protocols.includes(parsed.protocol)) {
    throw new ConfigError(`${name} must start with ${protocols.join(' or ')}//`);
  }
  return raw;
}

function word(env: Env, name: string, fallback: string): string {
  const raw = env[name] || fallback;
  if (!/^[A-Za-z0-9_-]{1,40}$/.test(raw)) throw new ConfigError(`${name} must be 1-40 letters, digits, _ or -`);
  return raw;
}

function oneOf(env: Env, name: string, fallback: string, allowed: string[]): string {
  const raw = env[name] || fallback;
  if (!allowed.includes(raw)) throw new ConfigError(`${name} must be one of ${allowed.join(', ')}`);
  return raw;
}

function admin(env: Env): Config['admin'] {
  const { ADMIN_USERNAME: username, ADMIN_PASSWORD: password } = env;
  if (!username && !password) return null;
  if (!username || !password) throw new ConfigError('ADMIN_USERNAME and ADMIN_PASSWORD go together');
  if (password.length < 8) throw new ConfigError('ADMIN_PASSWORD must be at least 8 characters');
  return { username, password };
}

function roles(raw: string): ReadonlySet<Role> {
  const parts = raw.split(',').map((part) => part.trim()).filter(Boolean);
  const bad = parts.filter((part) => part !== 'api' && part !== 'worker');
  if (parts.length === 0 || bad.length > 0) {
    throw new ConfigError(`ROLES must list api and/or worker, got "${raw}"`);
  }
  return new Set(parts as Role[]);
}

function timeZone(raw: string): string {
  try {
    new Intl.DateTimeFormat('en', { timeZone: raw });
  } catch {
    throw new ConfigError(`TICKET_TIMEZONE "${raw}" is not a time zone`);
  }
  return raw;
}
