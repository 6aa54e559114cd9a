import type { Logger } from 'pino';
import { appendEventsAndCommit } from '../events/log.js';
import type { EventType } from '../events/types.js';
import type { DbClient, Pool } from './pool.js';

export interface Tx {
  readonly client: DbClient;
  /** Records a system event; it is appended with COMMIT, in the same round trip, and published after. */
  emit(type: EventType, rooms: string[], data: unknown): void;
  /**
   * Records events built in SQL: a JSON array of {type, rooms, data}, kept as text. Appended with
   * COMMIT, in order with emit()'s.
   */
  emitJson(events: string): void;
  /**
   * A statement appended events itself (SQL append_events), as the transaction's last step after
   * every row lock it takes; the relay is woken after COMMIT.
   */
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
   * COMMIT round trips. A second statement is refused, and so are emit() and emitJson(): the
   * statement appends its events itself.
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

/**
 * The one way to change state: one transaction, its events appended as its last step (in SQL, or
 * in the round trip that commits it), so the lock the relay's watermark waits on is held briefly.
 */
export function createTxRunner({ pool, logger, onEventsCommitted }: TxDeps): RunInTx {
  return async (work, { single = false } = {}) => {
    const client = await pool.connect();
    const events: string[] = [];
    const tasks: Array<() => Promise<unknown>> = [];
    let written = false;
    let committed = false;
    const record = (json: string) => {
      if (single) throw new Error('A single-statement transaction appends its events in SQL');
      events.push(json);
    };
    const tx: Tx = {
      client: single ? oneStatement(client, () => { committed = true; }) : client,
      emit: (type, rooms, data) => record(JSON.stringify([{ type, rooms, data }])),
      emitJson: record,
      eventsWritten: () => { written = true; },
      afterCommit: (task) => { tasks.push(task); },
    };
    const afterCommit = async () => {
      if (events.length || written) onEventsCommitted();
      const outcomes = await Promise.allSettled(tasks.map((task) => task()));
      for (const outcome of outcomes) {
        if (outcome.status === 'rejected') logger.warn({ err: outcome.reason }, 'after-commit task failed; reconciler will repair');
      }
    };
    let result;
    try {
      if (!single) await client.query('BEGIN');
      result = await work(tx);
      if (events.length) await appendEventsAndCommit(client, events);
      else if (!single) await client.query('COMMIT');
    } catch (error) {
      if (single) {
        client.release();
        // The statement committed and something after it failed: what it changed still needs its jobs.
        if (committed) await afterCommit();
        throw error;
      }
      const rolledBack = await client.query('ROLLBACK').then(() => true, () => false);
      // A connection that cannot even roll back is broken: drop it rather than reuse it.
      client.release(!rolledBack);
      throw error;
    }
    client.release();
    await afterCommit();
    return result;
  };
}

/** The client of a single-statement transaction: a second statement would commit on its own, so it is refused. */
function oneStatement(client: DbClient, onCommitted: () => void): DbClient {
  let used = false;
  const query = (...args: unknown[]) => {
    if (used) throw new Error('A single-statement transaction runs one statement');
    used = true;
    return (client.query as (...a: unknown[]) => Promise<unknown>)(...args).then((result) => {
      onCommitted();
      return result;
    });
  };
  return new Proxy(client, { get: (target, key) => (key === 'query' ? query : Reflect.get(target, key)) });
}
