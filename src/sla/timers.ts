import type { JobRequest, SlaKind, SlaStage } from '../jobs/registry.js';

export const SLA_STAGES: readonly SlaStage[] = ['assign', 'arrive', 'resolve'];
export const SLA_KINDS: readonly SlaKind[] = ['warning', 'breach'];

/** A warning goes out when this share of a stage's time has passed with the stage unmet. */
export const WARNING_SHARE = 0.8;

export interface StageDue {
  stage: SlaStage;
  dueAt: Date;
}

/**
 * When a timer for a stage's alert of a kind fires: 80 % of the way from creation for a warning,
 * 100 % for a breach. PostgreSQL keeps microseconds that a Date drops, so the timer rounds up to
 * the next millisecond: fired a fraction early, it would find the alert not yet due.
 */
export function alertTime(createdAt: Date, dueAt: Date, kind: SlaKind): number {
  const start = createdAt.getTime();
  const end = dueAt.getTime();
  return (kind === 'breach' ? end : start + Math.ceil((end - start) * WARNING_SHARE)) + 1;
}

/** The delayed jobs that watch a ticket's unmet stages. */
export function slaTimerJobs(ticketId: string, createdAt: Date, stages: StageDue[]): JobRequest<'slaTimer'>[] {
  return stages.flatMap(({ stage, dueAt }) => SLA_KINDS.map((kind) => ({
    name: 'slaTimer' as const,
    payload: { ticketId, stage, kind },
    runAt: alertTime(createdAt, dueAt, kind),
  })));
}

/** Ids of a ticket's timers for the given stages, for removal once a stage is met or the ticket ends. */
export function slaTimerRefs(ticketId: string, stages: readonly SlaStage[]): Pick<JobRequest<'slaTimer'>, 'name' | 'payload'>[] {
  return stages.flatMap((stage) => SLA_KINDS.map((kind) => ({ name: 'slaTimer' as const, payload: { ticketId, stage, kind } })));
}
