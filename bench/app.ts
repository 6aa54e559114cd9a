import { randomBytes } from 'node:crypto';
import { spawnServer, type Child } from './children.js';
import { BENCH_PREFIX } from './db.js';
import { expect } from './http.js';
import { pooled } from './stats.js';
import { signToken, type BenchUser } from './token.js';

/** What every phase knows: where the bench's state lives and how to reach the app it starts. */
export interface Bench {
  databaseUrl: string;
  redisUrl: string;
  /** The server's TICKET_TIMEZONE, for ticket numbers the bench writes itself. */
  timeZone: string;
  jwtSecret: string;
  admin: { username: string; password: string };
}

export function newBench(targets: Pick<Bench, 'databaseUrl' | 'redisUrl' | 'timeZone'>): Bench {
  return {
    ...targets,
    jwtSecret: randomBytes(32).toString('hex'),
    admin: { username: 'bench-admin', password: randomBytes(12).toString('hex') },
  };
}

export interface AppSession {
  url: string;
  adminToken: string;
  /** Creates users through POST /v1/users (scrypt costs ~50 ms each, hence few at a time) with tokens. */
  createUsers(specs: Array<{ role: string; unitId?: string }>): Promise<Array<BenchUser & { token: string }>>;
  /** Stops the server and returns its peak RSS in MB. */
  stop(): Promise<number>;
}

let serial = 0;

/** The whole app (api + worker) as its own process, as `npm start` would run it, admin logged in. */
export async function startApp(bench: Bench): Promise<AppSession> {
  const child = await spawnServer('src/main.ts', {
    NODE_ENV: 'production', DATABASE_URL: bench.databaseUrl, REDIS_URL: bench.redisUrl, REDIS_PREFIX: BENCH_PREFIX,
    ROLES: 'api,worker', LOG_LEVEL: 'warn', JWT_SECRET: bench.jwtSecret,
    ADMIN_USERNAME: bench.admin.username, ADMIN_PASSWORD: bench.admin.password,
  }, { healthPath: '/health/ready' });
  try {
    const login = await expect(200, child.url, 'POST', '/v1/auth/login', { body: bench.admin });
    return session(bench, child, login.token as string);
  } catch (error) {
    await child.stop();
    throw error;
  }
}

function session(bench: Bench, child: Child, adminToken: string): AppSession {
  return {
    url: child.url,
    adminToken,
    createUsers: (specs) => pooled(specs, 2, async ({ role, unitId }) => {
      const user = await expect(201, child.url, 'POST', '/v1/users', {
        token: adminToken, body: { username: `bench-${role}-${++serial}`, password: 'bench-password', role, unitId },
      }) as BenchUser;
      return { ...user, token: signToken(bench.jwtSecret, user) };
    }),
    stop: async () => {
      const peak = child.peakRssMb();
      reportTrouble(child);
      await child.stop();
      return peak;
    },
  };
}

/** Errors the server logged during the phase are shown: a fast figure built on failures is no figure. */
function reportTrouble(child: Child): void {
  const lines = child.logTail().split('\n').filter((line) => /"level":(50|60)/.test(line));
  if (lines.length) console.error(`server logged errors, last ones:\n${lines.slice(-3).join('\n')}`);
}
