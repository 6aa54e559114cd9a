import { Queue, type JobsOptions } from 'bullmq';
import type { Redis } from '../redis.js';
import type { Priority } from '../config.js';

export type SlaStage = 'assign' | 'arrive' | 'resolve';
export type SlaKind = 'warning' | 'breach';

/** Every job the system runs: its queue and its payload. Payloads carry ids only, never personal data. */
export interface JobPayloads {
  /** Offer a queued ticket to the nearest free unit. */
  route: { ticketId: string; version: number };
  /** Offer the best queued ticket to a unit that just became free; `type` is the unit's. */
  fill: { unitId: string; version: number; type?: string };
  /** An offer's answer time ran out. */
  expire: { assignmentId: string };
  /** A ticket's next SLA alert (a stage at 80 % or 100 % of its time) may be due. */
  slaTimer: { ticketId: string };
}
export type JobName = keyof JobPayloads;

export const QUEUE_OF = {
  route: 'dispatch',
  fill: 'dispatch',
  expire: 'dispatch',
  slaTimer: 'sla',
} as const satisfies Record<JobName, string>;
export type QueueName = (typeof QUEUE_OF)[JobName];
export const QUEUE_NAMES: readonly QueueName[] = [...new Set(Object.values(QUEUE_OF))];

const PRIORITY_RANK: Record<Priority, number> = { P1: 1, P2: 2, P3: 3 };

/** A running job is looked at again this often, this many times, before rescheduling gives up. */
const RESCHEDULE_WAIT_MS = 50;
const RESCHEDULE_ATTEMPTS = 40;

/** Deterministic ids (BullMQ refuses ':' in them): adding the same job twice is a no-op. */
export const jobId = {
  route: (p: JobPayloads['route']) => `route-${p.ticketId}-${p.version}`,
  fill: (p: JobPayloads['fill']) => `fill-${p.unitId}-${p.version}`,
  expire: (p: JobPayloads['expire']) => `expire-${p.assignmentId}`,
  slaTimer: (p: JobPayloads['slaTimer']) => `sla-${p.ticketId}`,
} satisfies { [N in JobName]: (payload: JobPayloads[N]) => string };

export interface JobRequest<N extends JobName = JobName> {
  name: N;
  payload: JobPayloads[N];
  /** Run no earlier than this (epoch ms). */
  runAt?: number;
  priority?: Priority;
}

const BASE_OPTIONS: JobsOptions = {
  // Completed and failed jobs are removed so that a later add with the same id is not ignored.
  removeOnComplete: true,
  removeOnFail: true,
  attempts: 5,
  backoff: { type: 'exponential', delay: 200 },
};

/** Producers for every queue, on a connection that fails fast while Redis is down. */
export class Jobs {
  readonly queues: ReadonlyMap<QueueName, Queue>;

  constructor(connection: Redis, readonly prefix: string, onError: (error: Error) => void) {
    // BullMQ otherwise waits for Redis before a queue's first command: in a process started while
    // Redis is down every request that queues a job would hang. Skipping the version check keeps
    // that first step off Redis too, so the queue works as soon as the connection returns.
    const options = { connection, prefix, skipWaitingForReady: true, skipVersionCheck: true };
    this.queues = new Map(QUEUE_NAMES.map((name) => {
      const queue = new Queue(name, options);
      // Without a listener every failed reconnect would be printed raw to the console.
      queue.on('error', onError);
      return [name, queue];
    }));
  }

  queue(name: QueueName): Queue {
    return this.queues.get(name)!;
  }

  /** Adds jobs, one bulk call per queue. */
  async add(requests: JobRequest[]): Promise<void> {
    const byQueue = new Map<QueueName, Parameters<Queue['addBulk']>[0]>();
    for (const request of requests) {
      const queue = QUEUE_OF[request.name];
      const list = byQueue.get(queue) ?? [];
      list.push({ name: request.name, data: request.payload, opts: jobOptions(request) });
      byQueue.set(queue, list);
    }
    await Promise.all([...byQueue].map(([queue, list]) => this.queue(queue).addBulk(list)));
  }

  /**
   * Removes pending jobs by id. A running job is not removed: it re-checks PostgreSQL, and a
   * handler that answers a next time (an SLA timer) sets that time from the rows it read.
   */
  async remove(requests: Array<Pick<JobRequest, 'name' | 'payload'>>): Promise<void> {
    await Promise.all(requests.map((r) => this.queue(QUEUE_OF[r.name]).remove(idOf(r))));
  }

  /**
   * Makes a delayed job run at `runAt`, whether it waits for a later or an earlier time, or adds
   * it. A running job is waited out (it puts itself back to wait within milliseconds): its
   * handler may have read the rows before the change that moved the time.
   */
  async reschedule(request: JobRequest & { runAt: number }): Promise<void> {
    const queue = this.queue(QUEUE_OF[request.name]);
    for (let attempt = 0; attempt < RESCHEDULE_ATTEMPTS; attempt++) {
      const job = await queue.getJob(idOf(request));
      if (!job) return this.add([request]);
      const state = await job.getState();
      if (state === 'delayed') {
        const moved = await job.changeDelay(Math.max(0, request.runAt - Date.now())).then(() => true, () => false);
        if (moved) return;
      } else if (state !== 'active') {
        // Waiting to run now: it records what is due and sets its own next time from the rows.
        return;
      }
      await new Promise((resolve) => setTimeout(resolve, RESCHEDULE_WAIT_MS));
    }
    throw new Error(`job ${idOf(request)} stayed running; the SLA sweep will catch its alerts`);
  }

  async close(): Promise<void> {
    await Promise.all([...this.queues.values()].map((queue) => queue.close()));
  }
}

function idOf(request: Pick<JobRequest, 'name' | 'payload'>): string {
  return (jobId[request.name] as (payload: unknown) => string)(request.payload);
}

function jobOptions(request: JobRequest): JobsOptions {
  const options: JobsOptions = { ...BASE_OPTIONS, jobId: idOf(request) };
  if (request.priority) options.priority = PRIORITY_RANK[request.priority];
  if (request.runAt !== undefined) options.delay = Math.max(0, request.runAt - Date.now());
  return options;
}
