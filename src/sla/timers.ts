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
 * When a stage's alert of a kind comes due: 80 % of the way from creation for a warning, 100 %
 * for a breach. PostgreSQL keeps microseconds that a Date drops, so the time is rounded up to the
 * next millisecond: a timer fired a fraction early would find the alert not yet due.
 */
export function alertTime(createdAt: Date, dueAt: Date, kind: SlaKind): number {
  const start = createdAt.getTime();
  const end = dueAt.getTime();
  return (kind === 'breach' ? end : start + Math.ceil((end - start) * WARNING_SHARE)) + 1;
}

/**
 * A ticket's one timer, due at the first alert of the given stages. One delayed job per ticket,
 * not one per alert: each firing records what is due and waits again for the next alert (see
 * SlaService.fire), so intake queues one timer and a met stage needs no removal at all.
 */
export function slaTimerJob(ticketId: string, createdAt: Date, stages: StageDue[]): JobRequest<'slaTimer'> & { runAt: number } {
  const times = stages.flatMap(({ dueAt }) => SLA_KINDS.map((kind) => alertTime(createdAt, dueAt, kind)));
  return { name: 'slaTimer', payload: { ticketId }, runAt: Math.min(...times) };
}

/** The timer of a ticket, for removal once the ticket ends or its due times move. */
export function slaTimerRef(ticketId: string): Pick<JobRequest<'slaTimer'>, 'name' | 'payload'> {
  return { name: 'slaTimer', payload: { ticketId } };
}
