import type { Logger } from 'pino';
import type { Pool } from '../db/pool.js';
import { liveOffers, routableTickets } from '../dispatch/sql.js';
import type { Metrics } from '../ops/metrics.js';
import type { Redis } from '../redis.js';
import type { SlaService } from '../sla/service.js';
import type { Jobs } from './registry.js';

const BATCH = 1000;
/** An offer this far past its answer time has lost its timer. */
const OVERDUE_GRACE_MS = 2000;

export interface ReconcilerDeps {
  pool: Pool;
  redis: Redis;
  jobs: Jobs;
  sla: SlaService;
  metrics: Metrics;
  logger: Logger;
  intervalMs: number;
}

/**
 * Makes Redis agree with PostgreSQL. Chosen over a transactional outbox because the queue state
 * is fully derivable from the rows (queued tickets, pending offers, unmet SLA stages): a pass
 * at start and every few seconds re-adds whatever a crash between COMMIT and enqueue, a Redis
 * outage or a FLUSHALL lost, and deterministic job ids make every re-add of a live job a no-op.
 */
export class Reconciler {
  private timer: NodeJS.Timeout | null = null;
  private running: Promise<void> | null = null;
  private readonly marker: string;

  constructor(private readonly deps: ReconcilerDeps) {
    this.marker = `${deps.jobs.prefix}:armed`;
  }

  start(): void {
    const loop = () => {
      this.running = this.pass().finally(() => {
        this.running = null;
        this.timer = setTimeout(loop, this.deps.intervalMs);
      });
    };
    loop();
  }

  async stop(): Promise<void> {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    await this.running;
  }

  /** One pass; a full re-arm whenever Redis has lost the marker (first start, flush, fresh Redis). */
  async pass(): Promise<void> {
    try {
      const armed = await this.deps.redis.exists(this.marker);
      if (!armed) await this.rearmAll();
      await this.routeWaiting();
      await this.expireOverdue();
      const swept = await this.deps.sla.sweep();
      if (swept) this.deps.logger.info({ swept }, 'SLA sweep recorded alerts its timers missed');
      this.deps.metrics.slaLiveTimers.set(await this.deps.jobs.queue('sla').getDelayedCount());
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'reconcile pass failed; next pass retries');
    }
  }

  private async rearmAll(): Promise<void> {
    const offers = await liveOffers(this.deps.pool, null, 100000);
    await this.deps.jobs.add(offers.map((o) => ({ name: 'expire' as const, payload: { assignmentId: o.assignmentId }, runAt: o.answerDueAt.getTime() })));
    const timers = await this.deps.sla.rearm();
    await this.deps.redis.set(this.marker, new Date().toISOString());
    this.deps.logger.info({ offers: offers.length, slaTimers: timers }, 'queues re-armed from PostgreSQL');
  }

  private async routeWaiting(): Promise<void> {
    const tickets = await routableTickets(this.deps.pool, BATCH);
    await this.deps.jobs.add(tickets.map((t) => ({
      name: 'route' as const, payload: { ticketId: t.ticketId, version: t.version }, priority: t.priority,
    })));
  }

  private async expireOverdue(): Promise<void> {
    const overdue = await liveOffers(this.deps.pool, new Date(Date.now() - OVERDUE_GRACE_MS), BATCH);
    await this.deps.jobs.add(overdue.map((o) => ({ name: 'expire' as const, payload: { assignmentId: o.assignmentId } })));
  }
}
