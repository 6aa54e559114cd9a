import type { Logger } from 'pino';
import type { Classifier } from './classify/classifier.js';
import type { Config } from './config.js';
import type { Pool } from './db/pool.js';
import { createTxRunner, type RunInTx } from './db/tx.js';
import { DispatchService } from './dispatch/service.js';
import { Transitions } from './dispatch/transitions.js';
import { EventPublisher } from './events/publisher.js';
import { Jobs } from './jobs/registry.js';
import type { Handlers } from './jobs/worker.js';
import { Metrics } from './ops/metrics.js';
import type { Redis } from './redis.js';
import { SlaService } from './sla/service.js';
import { TicketService } from './tickets/service.js';

/** What every role is built from; tests pass their own database, Redis prefix and config. */
export interface Infra {
  config: Config;
  logger: Logger;
  pool: Pool;
  /** Fail-fast command connection: queue producers, health, rate limits, event wake-ups. */
  redis: Redis;
  classifier: Classifier;
}

export interface Services extends Infra {
  metrics: Metrics;
  jobs: Jobs;
  runInTx: RunInTx;
  transitions: Transitions;
  dispatch: DispatchService;
  tickets: TicketService;
  sla: SlaService;
}

export function createServices(infra: Infra): Services {
  const { config, logger, pool, redis, classifier } = infra;
  const metrics = new Metrics();
  const jobs = new Jobs(redis, config.redisPrefix, (error) => logger.warn({ err: error }, 'queue connection error'));
  const publisher = new EventPublisher(redis, config.redisPrefix);
  const runInTx = createTxRunner({ pool, logger, onEventsCommitted: () => publisher.committed() });
  const transitions = new Transitions(jobs, config.offerTimeoutSec, metrics);
  const dispatch = new DispatchService(pool, runInTx, transitions);
  const tickets = new TicketService({
    pool, runInTx, classifier, dispatch, transitions, jobs, timeZone: config.ticketTimeZone,
    onCreated: (ticket) => metrics.ticketsCreated.inc({ category: String(ticket.category), priority: String(ticket.priority) }),
  });
  const sla = new SlaService(pool, runInTx, jobs, metrics);
  return { ...infra, metrics, jobs, runInTx, transitions, dispatch, tickets, sla };
}

/** The job handlers of the worker role. */
export function jobHandlers(s: Services): Handlers {
  return {
    route: ({ ticketId, version }) => s.dispatch.route(ticketId, version),
    fill: ({ unitId, type }) => s.dispatch.fill(unitId, type),
    expire: async ({ assignmentId }) => {
      const outcome = await s.dispatch.expire(assignmentId);
      return outcome === 'not_due' ? { notBefore: Date.now() + 250 } : undefined;
    },
    slaTimer: ({ ticketId }) => s.sla.fire(ticketId),
  };
}
