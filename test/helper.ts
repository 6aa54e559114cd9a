import { randomBytes } from 'node:crypto';
import { spawn, type ChildProcess } from 'node:child_process';
import { createServer } from 'node:net';
import pino from 'pino';
import { io as connect, type Socket } from 'socket.io-client';
import { createClassifier } from '../src/classify/classifier.js';
import { loadConfig, type Config, type Role } from '../src/config.js';
import { createPool, type Pool } from '../src/db/pool.js';
import { createCommandRedis, type Redis } from '../src/redis.js';
import { startRoles, type Running } from '../src/roles.js';
import { createServices, type Services } from '../src/services.js';
import { hashPassword } from '../src/auth/password.js';
import type { AuthUser, UserRole } from '../src/auth/roles.js';
import type { Envelope } from '../src/events/types.js';
import { createTestDatabase } from './support/db.js';

export const JWT_SECRET = 'test-secret-test-secret-test-secret-0123456789';
const classifier = createClassifier();
// One password hash for every test user: scrypt is deliberately slow.
const PASSWORD = 'password-123';
const passwordHash = hashPassword(PASSWORD);

export interface TestContext {
  config: Config;
  databaseUrl: string;
  /** The test's own pool, for asserting on rows. */
  db: Pool;
  /** The test's own Redis connection (same prefix as the system). */
  redis: Redis;
  prefix: string;
  system: System;
  /** Another process-like instance on the same database and Redis prefix. */
  startInstance(roles: Role[]): Promise<System>;
  close(): Promise<void>;
}

export interface System {
  services: Services;
  running: Running;
  url: string | null;
  close(): Promise<void>;
}

export interface BuildOptions {
  roles?: Role[];
  env?: Record<string, string>;
}

/**
 * A whole system on a database and Redis prefix of this test file's own, listening on a free
 * port. Call close() in afterAll: it closes every connection and drops the database.
 */
export async function build(options: BuildOptions = {}): Promise<TestContext> {
  const database = await createTestDatabase();
  const prefix = `t${randomBytes(5).toString('hex')}`;
  const config = loadConfig({
    NODE_ENV: 'test', JWT_SECRET, DATABASE_URL: database.url, REDIS_PREFIX: prefix, LOG_LEVEL: 'silent',
    RECONCILE_INTERVAL_MS: '500', ...options.env,
  });
  const db = createPool(config.databaseUrl, { max: 5, applicationName: 'test-assertions' });
  const redis = createCommandRedis(config.redisUrl, 'test-assertions');
  const instances: System[] = [];
  const startInstance = async (roles: Role[]) => {
    const system = await startSystem(config, roles);
    instances.push(system);
    return system;
  };
  const system = await startInstance(options.roles ?? ['api', 'worker']);
  return {
    config, databaseUrl: database.url, db, redis, prefix, system, startInstance,
    close: async () => {
      for (const instance of instances.reverse()) await instance.close();
      await deleteKeys(redis, prefix);
      await redis.quit();
      await db.end();
      await database.drop();
    },
  };
}

async function startSystem(config: Config, roles: Role[]): Promise<System> {
  const pool = createPool(config.databaseUrl, { max: 10 });
  const redis = createCommandRedis(config.redisUrl, 'test-system');
  const services = createServices({ config, logger: pino({ level: config.logLevel }), pool, redis, classifier });
  const running = await startRoles(services, new Set(roles), roles.includes('api') ? { port: 0, host: '127.0.0.1' } : null);
  const address = running.app?.server.address();
  const url = address && typeof address === 'object' ? `http://127.0.0.1:${address.port}` : null;
  return {
    services, running, url,
    close: async () => {
      await running.close();
      await services.jobs.close();
      await redis.quit();
      await pool.end();
    },
  };
}

async function deleteKeys(redis: Redis, prefix: string): Promise<void> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) await redis.del(...keys);
  } while (cursor !== '0');
}

/**
 * Polls until some session of the test's database waits for a row lock: a request or a timer has
 * reached a row the test holds. `what` names it in the error when it never does.
 */
export async function untilWaitingOnARow(ctx: TestContext, what: string): Promise<void> {
  const deadline = Date.now() + 10000;
  for (;;) {
    const { rows } = await ctx.db.query<{ waiting: number }>(
      `SELECT count(*)::int AS waiting FROM pg_stat_activity
       WHERE datname = current_database() AND wait_event_type = 'Lock' AND wait_event IN ('transactionid', 'tuple')`);
    if (rows[0]!.waiting > 0) return;
    if (Date.now() > deadline) throw new Error(`${what} never waited for the row lock`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
}

/** Creates a user straight in the database and returns it with a token signed by the app. */
export async function createUser(ctx: TestContext, role: UserRole, unitId: string | null = null): Promise<AuthUser & { token: string; password: string }> {
  const username = `${role}-${randomBytes(4).toString('hex')}`;
  const { rows } = await ctx.db.query<{ id: string }>(
    'INSERT INTO users (username, password_hash, role, unit_id) VALUES ($1, $2, $3, $4) RETURNING id',
    [username, await passwordHash, role, unitId]);
  const user: AuthUser = { id: rows[0]!.id, username, role, unitId };
  return { ...user, token: ctx.system.running.app!.signToken(user), password: PASSWORD };
}

export interface Api {
  (method: string, path: string, options?: { token?: string; body?: unknown; headers?: Record<string, string> }): Promise<{
    status: number; body: any; headers: Headers;
  }>;
}

/** HTTP over the real port, as a client would call it. */
export function api(ctx: TestContext | Pick<System, 'url'>): Api {
  const base = 'system' in ctx ? ctx.system.url : ctx.url;
  return async (method, path, options = {}) => {
    const headers: Record<string, string> = { ...options.headers };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    let body: string | undefined;
    if (options.body !== undefined) {
      headers['content-type'] ??= 'application/json';
      body = typeof options.body === 'string' ? options.body : JSON.stringify(options.body);
    }
    const response = await fetch(`${base}${path}`, { method, headers, body });
    const text = await response.text();
    let parsed: unknown = text;
    try { parsed = text ? JSON.parse(text) : null; } catch { /* not JSON: keep the text */ }
    return { status: response.status, body: parsed, headers: response.headers };
  };
}

/** A Socket.IO client that records every event it receives, in order. */
export interface Listener {
  socket: Socket;
  events: Envelope[];
  /** Resolves with the first recorded (or future) event that matches. */
  waitFor(match: (event: Envelope) => boolean, timeoutMs?: number): Promise<Envelope>;
  close(): void;
}

const EVENT_TYPES = ['ticket.created', 'ticket.updated', 'assignment.offered', 'assignment.updated', 'unit.updated', 'sla.warning', 'sla.breached'];

export function listen(url: string, token: string | undefined, lastSeq?: number): Promise<Listener> {
  const socket = connect(url, { auth: { token, ...(lastSeq === undefined ? {} : { lastSeq }) }, transports: ['websocket'], reconnection: false, forceNew: true });
  const events: Envelope[] = [];
  const waiters = new Set<{ match: (e: Envelope) => boolean; resolve: (e: Envelope) => void }>();
  for (const type of EVENT_TYPES) {
    socket.on(type, (event: Envelope) => {
      events.push(event);
      for (const waiter of waiters) if (waiter.match(event)) { waiters.delete(waiter); waiter.resolve(event); }
    });
  }
  const listener: Listener = {
    socket, events,
    waitFor: (match, timeoutMs = 15000) => {
      const found = events.find(match);
      if (found) return Promise.resolve(found);
      return new Promise((resolve, reject) => {
        const waiter = { match, resolve: (e: Envelope) => { clearTimeout(timer); resolve(e); } };
        const timer = setTimeout(() => { waiters.delete(waiter); reject(new Error('no matching event arrived')); }, timeoutMs);
        waiters.add(waiter);
      });
    },
    close: () => { socket.disconnect(); },
  };
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(listener));
    socket.once('connect_error', (error) => { socket.disconnect(); reject(error); });
  });
}

/** A free TCP port for a child process to listen on. */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}

export interface Child {
  process: ChildProcess;
  url: string | null;
  /** Resolves when the process has exited. */
  exited: Promise<number | null>;
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/** Runs `src/main.ts` as a separate process on the test's database and Redis prefix; resolves once it has started. */
export async function spawnProcess(ctx: TestContext, roles: Role[], env: Record<string, string> = {}): Promise<Child> {
  const port = roles.includes('api') ? await freePort() : 0;
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    env: {
      ...process.env, NODE_ENV: 'test', JWT_SECRET, DATABASE_URL: ctx.databaseUrl, REDIS_PREFIX: ctx.prefix,
      ROLES: roles.join(','), PORT: String(port), HOST: '127.0.0.1', LOG_LEVEL: 'info', RECONCILE_INTERVAL_MS: '500',
      OFFER_TIMEOUT_P1: ctx.config.offerTimeoutSec.P1.toString(), OFFER_TIMEOUT_P2: ctx.config.offerTimeoutSec.P2.toString(),
      OFFER_TIMEOUT_P3: ctx.config.offerTimeoutSec.P3.toString(), ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  await new Promise<void>((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      if (output.includes('livelihood110 started')) { child.stdout!.off('data', onData); resolve(); }
    };
    child.stdout!.on('data', onData);
    child.stderr!.on('data', (chunk: Buffer) => { output += chunk.toString(); });
    void exited.then((code) => reject(new Error(`process exited (${code}) before starting:\n${output.slice(-2000)}`)));
  });
  child.stdout!.resume();
  child.stderr!.resume();
  return {
    process: child, url: port ? `http://127.0.0.1:${port}` : null, exited,
    stop: async (signal = 'SIGTERM') => {
      if (child.exitCode === null && child.signalCode === null) child.kill(signal);
      return exited;
    },
  };
}
