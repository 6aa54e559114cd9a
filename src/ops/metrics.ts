import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from 'prom-client';

/** Prometheus metrics of one process; a registry per instance so tests can build many apps. */
export class Metrics {
  readonly registry = new Registry();
  readonly httpDuration = new Histogram({
    name: 'http_request_duration_seconds', help: 'HTTP request duration by route and status',
    labelNames: ['method', 'route', 'status'], buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [this.registry],
  });
  readonly ticketsCreated = new Counter({
    name: 'tickets_created_total', help: 'Tickets created by category and priority',
    labelNames: ['category', 'priority'], registers: [this.registry],
  });
  readonly slaAlerts = new Counter({
    name: 'sla_alerts_total', help: 'SLA warnings and breaches recorded by kind, stage and category',
    labelNames: ['kind', 'stage', 'category'], registers: [this.registry],
  });
  readonly slaLiveTimers = new Gauge({
    name: 'sla_live_timers', help: 'SLA timers waiting in Redis', registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry });
  }

  /** Counts SLA alerts once their transaction has committed, whoever recorded them: timer, sweep or an operation. */
  countSlaAlerts(alerts: ReadonlyArray<{ kind: string; stage: string; category: string }>): void {
    for (const { kind, stage, category } of alerts) this.slaAlerts.inc({ kind, stage, category });
  }
}
