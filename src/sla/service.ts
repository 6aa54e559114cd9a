import type { Pool } from '../db/pool.js';
import type { RunInTx, Tx } from '../db/tx.js';
import { DISPATCH_ROOM, SUPERVISORS_ROOM } from '../events/types.js';
import type { Jobs } from '../jobs/registry.js';
import type { Metrics } from '../ops/metrics.js';
import { awaitOperationsOn, pendingTimers, recordDueAlerts, recordOverdueAlerts, timersOf, type AlertRecorded, type PendingTimer } from './sql.js';

/** Timers hand alerts due this long ago to the sweep; before that, the timer is expected to fire. */
const SWEEP_GRACE_MS = 1500;
const SWEEP_BATCH = 1000;
const REARM_BATCH = 500;

/** Warnings and breaches: each recorded once, with its event, in one transaction. */
export class SlaService {
  constructor(
    private readonly pool: Pool,
    private readonly runInTx: RunInTx,
    private readonly jobs: Jobs,
    private readonly metrics: Metrics,
  ) {}

  /**
   * A ticket's timer fired: records what is due by PostgreSQL's rows (a stage may be met, a due
   * time moved) and answers when to fire next, so the same job waits for the ticket's next alert.
   */
  async fire(ticketId: string): Promise<{ notBefore: number | null }> {
    const { recorded, nextInMs } = await this.runInTx(async (tx) => {
      await awaitOperationsOn(tx, ticketId);
      const result = await recordDueAlerts(tx.client, ticketId);
      for (const alert of result.recorded) emitAlert(tx, alert);
      return result;
    });
    this.metrics.countSlaAlerts(recorded);
    // Rounded up, and one more millisecond, so the next firing is not early.
    return { notBefore: nextInMs === null ? null : Date.now() + Math.ceil(nextInMs) + 1 };
  }

  /**
   * Records every alert that came due without its timer firing, but on tickets held at that moment
   * (recordOverdueAlerts). Returns how many. A ticket whose timer was lost (a failed job, a Redis
   * that dropped it) gets it back, waiting for its next alert, so only the alert the sweep caught
   * came late.
   */
  async sweep(): Promise<number> {
    const swept = new Set<string>();
    let total = 0;
    for (;;) {
      const recorded = await this.runInTx(async (tx) => {
        const alerts = await recordOverdueAlerts(tx.client, SWEEP_GRACE_MS, SWEEP_BATCH);
        for (const alert of alerts) emitAlert(tx, alert);
        return alerts;
      });
      this.metrics.countSlaAlerts(recorded);
      total += recorded.length;
      for (const alert of recorded) swept.add(alert.ticketId);
      if (recorded.length < SWEEP_BATCH) break;
    }
    // Once every batch is recorded, so a Redis outage here costs no alert its record.
    const timers = swept.size ? await timersOf(this.pool, [...swept]) : [];
    for (const timer of timers) await this.jobs.reschedule(timerJob(timer));
    return total;
  }

  /** Re-adds the timer of every ticket that owes an alert; a live timer keeps its place (same id). */
  async rearm(): Promise<number> {
    let after: string | null = null;
    let total = 0;
    for (;;) {
      const timers = await pendingTimers(this.pool, after, REARM_BATCH);
      if (timers.length === 0) return total;
      await this.jobs.add(timers.map(timerJob));
      total += timers.length;
      after = timers[timers.length - 1]!.ticketId;
    }
  }
}

/** A Date drops the microseconds: one more millisecond, so no timer fires early. */
function timerJob(timer: PendingTimer) {
  return { name: 'slaTimer' as const, payload: { ticketId: timer.ticketId }, runAt: timer.alertAt.getTime() + 1 };
}

function emitAlert(tx: Tx, alert: AlertRecorded): void {
  const data = { ticketId: alert.ticketId, number: alert.number, stage: alert.stage, dueAt: alert.dueAt };
  if (alert.kind === 'warning') tx.emit('sla.warning', [DISPATCH_ROOM, SUPERVISORS_ROOM], data);
  else tx.emit('sla.breached', [DISPATCH_ROOM, SUPERVISORS_ROOM], { ...data, breachedAt: alert.at });
}
