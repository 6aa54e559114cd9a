import type { Pool } from '../db/pool.js';
import type { RunInTx, Tx } from '../db/tx.js';
import { DISPATCH_ROOM, SUPERVISORS_ROOM } from '../events/types.js';
import type { Jobs, SlaKind, SlaStage } from '../jobs/registry.js';
import type { Metrics } from '../ops/metrics.js';
import { pendingStages, recordAlert, recordOverdueAlerts, type AlertRecorded, type PendingAlert } from './sql.js';
import { slaTimerJobs } from './timers.js';

/** Timers hand alerts due this long ago to the sweep; before that, the timer is expected to fire. */
const SWEEP_GRACE_MS = 1500;
const SWEEP_BATCH = 1000;
const REARM_BATCH = 2000;

/** Warnings and breaches: each recorded once, with its event, in one transaction. */
export class SlaService {
  constructor(
    private readonly pool: Pool,
    private readonly runInTx: RunInTx,
    private readonly jobs: Jobs,
    private readonly metrics: Metrics,
  ) {}

  /** A timer fired: re-check PostgreSQL, since the stage may be met or the due time moved. */
  async fire(ticketId: string, stage: SlaStage, kind: SlaKind): Promise<{ notBefore: number | null }> {
    const { recorded, notBefore } = await this.runInTx(async (tx) => {
      const result = await recordAlert(tx.client, ticketId, stage, kind);
      if (result.recorded) emitAlert(tx, result.recorded);
      return result;
    });
    if (recorded) this.count([recorded]);
    return { notBefore };
  }

  /** Records every alert that came due without its timer firing. Returns how many. */
  async sweep(): Promise<number> {
    let total = 0;
    for (;;) {
      const recorded = await this.runInTx(async (tx) => {
        const alerts = await recordOverdueAlerts(tx.client, SWEEP_GRACE_MS, SWEEP_BATCH);
        for (const alert of alerts) emitAlert(tx, alert);
        return alerts;
      });
      this.count(recorded);
      total += recorded.length;
      if (recorded.length < SWEEP_BATCH) return total;
    }
  }

  /** Re-adds the timer of every unmet stage; existing jobs keep their place (same ids). */
  async rearm(): Promise<number> {
    let after: PendingAlert | null = null;
    let total = 0;
    for (;;) {
      const stages = await pendingStages(this.pool, after, REARM_BATCH);
      if (stages.length === 0) return total;
      await this.jobs.add(stages.flatMap((s) => slaTimerJobs(s.ticketId, s.createdAt, [{ stage: s.stage, dueAt: s.dueAt }])));
      total += stages.length;
      after = stages[stages.length - 1]!;
    }
  }

  private count(alerts: AlertRecorded[]): void {
    for (const alert of alerts) this.metrics.slaAlerts.inc({ kind: alert.kind, stage: alert.stage, category: alert.category });
  }
}

function emitAlert(tx: Tx, alert: AlertRecorded): void {
  const data = { ticketId: alert.ticketId, number: alert.number, stage: alert.stage, dueAt: alert.dueAt };
  if (alert.kind === 'warning') tx.emit('sla.warning', [DISPATCH_ROOM, SUPERVISORS_ROOM], data);
  else tx.emit('sla.breached', [DISPATCH_ROOM, SUPERVISORS_ROOM], { ...data, breachedAt: alert.at });
}
