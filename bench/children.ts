import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { fileURLToPath } from 'node:url';
import { call } from './http.js';
import { sleep } from './stats.js';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const live = new Set<ChildProcess>();

export interface Child {
  pid: number;
  url: string;
  /** Highest resident set size the process has had so far (VmHWM), in MB. */
  peakRssMb(): number;
  /** What the process logged lately, for a report when something goes wrong. */
  logTail(): string;
  stop(): Promise<void>;
}

export type Readiness = { line: string } | { healthPath: string };

/**
 * Runs a TypeScript entry point as its own Node process on a free port (env PORT) and resolves
 * once it is ready: a line on stdout, or a health route answering 200.
 */
export async function spawnServer(script: string, env: Record<string, string>, ready: Readiness): Promise<Child> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  // BENCH_CPU_PROF=dir writes a V8 CPU profile of each server when it stops (profile with --only=…).
  const profile = process.env.BENCH_CPU_PROF ? ['--cpu-prof', `--cpu-prof-dir=${process.env.BENCH_CPU_PROF}`] : [];
  const child = spawn(process.execPath, [...profile, '--import', 'tsx', script], {
    cwd: ROOT, env: { ...process.env, ...env, PORT: String(port), HOST: '127.0.0.1' }, stdio: ['ignore', 'pipe', 'pipe'],
  });
  live.add(child);
  let tail = '';
  const keep = (chunk: Buffer) => { tail = (tail + chunk.toString()).slice(-4000); };
  child.stdout!.on('data', keep);
  child.stderr!.on('data', keep);
  const exited = new Promise<void>((resolve) => child.once('exit', () => { live.delete(child); resolve(); }));
  const died = exited.then(() => { throw new Error('it exited'); });
  died.catch(() => {}); // only the race below reports it
  try {
    await Promise.race([died, 'line' in ready ? lineSeen(child, ready.line) : healthy(url + ready.healthPath, child)]);
  } catch (error) {
    child.kill('SIGKILL');
    throw new Error(`${script} did not start (${(error as Error).message}):\n${tail}`);
  }
  return {
    pid: child.pid!, url,
    peakRssMb: () => peakRssMb(child.pid!),
    logTail: () => tail,
    stop: async () => {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 20000);
      await exited;
      clearTimeout(timer);
    },
  };
}

function lineSeen(child: ChildProcess, line: string): Promise<void> {
  return new Promise((resolve) => {
    let seen = '';
    const onData = (chunk: Buffer) => {
      seen += chunk.toString();
      if (seen.includes(line)) { child.stdout!.off('data', onData); resolve(); }
    };
    child.stdout!.on('data', onData);
  });
}

/**
 * The app logs "started" at info, which LOG_LEVEL=warn hides, so readiness is its own
 * /health/ready (PostgreSQL and Redis answer), polled briefly as a load balancer would.
 */
async function healthy(url: string, child: ChildProcess): Promise<void> {
  const { origin, pathname } = new URL(url);
  const deadline = Date.now() + 60000;
  while (child.exitCode === null && Date.now() < deadline) {
    const reply = await call(origin, 'GET', pathname).catch(() => null);
    if (reply?.status === 200) return;
    await sleep(100);
  }
  throw new Error(child.exitCode === null ? 'not ready within 60 s' : 'it exited');
}

function peakRssMb(pid: number): number {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = Number(/^VmHWM:\s+(\d+)\s+kB/m.exec(status)?.[1]);
  return kb / 1024;
}

/** Kills whatever is still running; for exits and failures, where no graceful stop is coming. */
export function killAll(): void {
  for (const child of live) child.kill('SIGKILL');
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() => (address && typeof address === 'object' ? resolve(address.port) : reject(new Error('no port'))));
    });
  });
}
