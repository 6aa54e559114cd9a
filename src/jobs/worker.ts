import { DelayedError, Worker, type Job } from 'bullmq';
import type { Logger } from 'pino';
import type { Redis } from '../redis.js';
import { QUEUE_NAMES, QUEUE_OF, type JobName, type JobPayloads, type QueueName } from './registry.js';

/** What a handler may answer: run again no earlier than this epoch ms (the condition is not due yet). */
export type HandlerResult = void | { notBefore: number | null } | undefined;
export type Handlers = { [N in JobName]: (payload: JobPayloads[N]) => Promise<HandlerResult> };

// Routing jobs of one category wait in-process for one shared pass (dispatch/drains.ts), holding
// no pool connection meanwhile: the more of them run at once, the more one pass serves.
const CONCURRENCY: Record<QueueName, number> = { dispatch: 32, sla: 8 };
/**
 * A worker killed mid-job (SIGKILL, OOM) keeps its jobs until their lock lapses and a stalled
 * check puts them back; the reconciler cannot re-add them meanwhile, their ids being taken.
 * Every job here is one short transaction, so a short lock bounds that wait to seconds instead
 * of BullMQ's default of up to a minute.
 */
const STALLED = { lockDuration: 10_000, stalledInterval: 5_000 };

/** Runs every queue's jobs; refuses to start unless each job name has exactly one handler. */
export function startWorkers(connection: Redis, prefix: string, handlers: Handlers, logger: Logger): Worker[] {
  const missing = (Object.keys(QUEUE_OF) as JobName[]).filter((name) => typeof handlers[name] !== 'function');
  if (missing.length) throw new Error(`No handler for jobs: ${missing.join(', ')}`);
  return QUEUE_NAMES.map((queue) => {
    const worker = new Worker(queue, (job, token) => run(job, token, handlers), {
      connection, prefix, concurrency: CONCURRENCY[queue], ...STALLED,
    });
    worker.on('error', (error) => logger.warn({ err: error, queue }, 'queue worker error'));
    worker.on('failed', (job, error) => logger.warn({ err: error, job: job?.id, queue }, 'job failed'));
    return worker;
  });
}

async function run(job: Job, token: string | undefined, handlers: Handlers): Promise<void> {
  const handler = handlers[job.name as JobName] as (payload: unknown) => Promise<HandlerResult>;
  if (!handler) throw new Error(`Unknown job ${job.name}`);
  const result = await handler(job.data);
  if (result && result.notBefore !== null) {
    // Not done yet (a due time moved, or an SLA timer waits for the ticket's next alert): the
    // same job waits again. A time already past runs it again at once rather than dropping it.
    await job.moveToDelayed(Math.max(result.notBefore, Date.now()), token);
    throw new DelayedError();
  }
}
