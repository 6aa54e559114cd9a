/**
 * `npm run bench` (CONTRACT §8). This process is the load: it starts the app and the raw-limit
 * servers as child processes, one fresh app per phase so each phase has its own peak RSS, drives
 * them over real HTTP and real sockets, prints a table and writes bench/results.json.
 * `--quick` shrinks every phase to check the pipeline, not the system.
 */
import { execFileSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { fileURLToPath } from 'node:url';
import { newBench } from './app.js';
import { killAll } from './children.js';
import { benchTargets, clearPrefix, dropDatabase, tuneRedisForTimers } from './db.js';
import { runDispatch } from './dispatch.js';
import { runFanout } from './fanout.js';
import { closeAgent } from './http.js';
import { runIntake } from './intake.js';
import { planFor } from './plan.js';
import { resultsJson, table } from './report.js';
import { runSla } from './sla.js';

const BUDGET_MS = 5 * 60 * 1000;
const OUTPUT = fileURLToPath(new URL('results.json', import.meta.url));

process.on('exit', killAll);
for (const signal of ['SIGINT', 'SIGTERM'] as const) process.on(signal, () => { killAll(); process.exit(130); });
// Over budget is a failure to report, not a run to wait out.
setTimeout(() => { console.error('bench: over the 5 minute budget, stopping'); killAll(); process.exit(1); }, BUDGET_MS).unref();

async function phase<T>(name: string, work: () => Promise<T>): Promise<T> {
  const started = performance.now();
  process.stderr.write(`bench: ${name}…`);
  const result = await work();
  process.stderr.write(` ${((performance.now() - started) / 1000).toFixed(1)} s\n`);
  return result;
}

async function main(): Promise<void> {
  const plan = planFor(process.argv.slice(2));
  // Same as `npm start`: make sure PostgreSQL and Redis answer, starting local ones if needed.
  execFileSync('bash', [fileURLToPath(new URL('../scripts/services.sh', import.meta.url))], { stdio: 'inherit' });
  const targets = benchTargets();
  const redisHzBefore = await tuneRedisForTimers(targets.redisUrl);
  if (redisHzBefore !== 100) process.stderr.write(`bench: Redis hz was ${redisHzBefore}, set to 100 as scripts/services.sh starts it\n`);
  const bench = newBench(targets);
  try {
    if (plan.only) {
      // Profiling one phase: its figures print, results.json keeps the last full run.
      const run = { intake: () => runIntake(bench, plan.intake), dispatch: () => runDispatch(bench, plan.dispatch),
        sla: () => runSla(bench, plan.sla), fanout: () => runFanout(bench, plan.fanout) }[plan.only];
      console.log(JSON.stringify(await phase(plan.only, run as () => Promise<unknown>), null, 2));
      return;
    }
    const intake = await phase('intake', () => runIntake(bench, plan.intake));
    const dispatch = await phase('dispatch', () => runDispatch(bench, plan.dispatch));
    const sla = await phase('sla', () => runSla(bench, plan.sla));
    const fanout = await phase('fan-out', () => runFanout(bench, plan.fanout));
    const results = resultsJson({ quick: plan.quick, intake, dispatch, sla, fanout }, availableParallelism());
    writeFileSync(OUTPUT, `${JSON.stringify(results, null, 2)}\n`);
    console.log(`\n${table(results)}\n\nwritten to ${OUTPUT}${plan.quick ? ' (--quick: figures mean little)' : ''}`);
  } finally {
    killAll();
    closeAgent();
    await dropDatabase(bench.databaseUrl);
    await clearPrefix(bench.redisUrl);
  }
}

main().then(() => process.exit(0), (error: unknown) => {
  console.error('\nbench failed:', error);
  killAll();
  process.exit(1);
});
