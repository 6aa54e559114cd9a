import type { Logger } from 'pino';
import { appendEventsAndCommit } from '../events/log.js';
import type { EventType, NewEvent } from '../events/types.js';
import type { DbClient, Pool } from './pool.js';

export interface Tx {
  readonly client: DbClient;
  /** Records a system event; it commits with the change and is published after. */
  emit(type: EventType, rooms: string[], data: unknown): void;
  /** A statement wrote events itself (SQL append_event): the relay is woken after COMMIT. */
  eventsWritten(): void;
  /**
   * Runs after COMMIT (queue jobs, timers). Redis may be down then: the failure is logged and
   * the worker's reconciler rebuilds the job from PostgreSQL.
   */
  afterCommit(task: () => Promise<unknown>): void;
}

export interface TxOptions {
  /**
   * The work is one statement, which PostgreSQL runs as a transaction of its own: no BEGIN or
   * COMMIT round trips. It writes its events itself; emit() refuses.
   */
  single?: boolean;
}

export type RunInTx = <T>(work: (tx: Tx) => Promise<T>, options?: TxOptions) => Promise<T>;

export interface TxDeps {
  pool: Pool;
  logger: Logger;
  /** Tells the event relay that committed events are waiting. */
  onEventsCommitted: () => void;
}

/** The one way to change state: one transaction, its events written just before COMMIT. */
export function createTxRunner({ pool, logger, onEventsCommitted }: TxDeps): RunInTx {
  return async (work, { single = false } = {}) => {
    const client = await pool.connect();
    const events: NewEvent[] = [];
    const tasks: Array<() => Promise<unknown>> = [];
    let written = false;
    const tx: Tx = {
      client,
      emit: (type, rooms, data) => {
        if (single) throw new Error('A single-statement transaction writes its events in SQL');
        events.push({ type, rooms, data });
      },
      eventsWritten: () => { written = true; },
      afterCommit: (task) => { tasks.push(task); },
    };
    let result;
    try {
      if (!single) await client.query('BEGIN');
      result = await work(tx);
      if (events.length) await appendEventsAndCommit(client, events);
      else if (!single) await client.query('COMMIT');
    } catch (error) {
      const rolledBack = single || await client.query('ROLLBACK').then(() => true, () => false);
      // A connection that cannot even roll back is broken: drop it rather than reuse it.
      client.release(!rolledBack);
      throw error;
    }
    client.release();
    if (events.length || written) onEventsCommitted();
    const outcomes = await Promise.allSettled(tasks.map((task) => task()));
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') logger.warn({ err: outcome.reason }, 'after-commit task failed; reconciler will repair');
    }
    return result;
  };
}
