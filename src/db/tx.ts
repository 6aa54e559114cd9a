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
   * Runs the transaction's first statement with its BEGIN in one round trip (a simple query, so
   * the statement carries its values as escaped literals) and returns its rows. Without it,
   * BEGIN goes out just before the first statement.
   */
  beginWith<R>(statement: string): Promise<R[]>;
  /**
   * Runs the transaction's last statement and COMMIT in one round trip (a simple query may hold
   * two statements, so the statement carries its values as escaped literals) and returns its
   * rows. Events go in SQL, as eventsWritten() says; any statement after it is refused.
   */
  commitWith<R>(statement: string): Promise<R[]>;
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
    // BEGIN is sent with the first statement or just before it: a single statement is its own
    // transaction, and work that runs no statement needs none.
    let begun = single;
    // Set once a statement of the work has committed: a single statement, or commitWith().
    let committed = false;
    let statements = 0;
    const record = (json: string) => {
      if (single) throw new Error('A single-statement transaction appends its events in SQL');
      if (committed) throw new Error('The transaction has committed');
      events.push(json);
    };
    const begin = async (withStatement = '') => {
      const opening = !begun;
      begun = true;
      if (!opening) return withStatement ? client.query(withStatement) : null;
      return client.query(withStatement ? `BEGIN; ${withStatement}` : 'BEGIN');
    };
    const guardedClient = guarded(client, async () => {
      if (single && statements++ > 0) throw new Error('A single-statement transaction runs one statement');
      if (committed) throw new Error('The transaction has committed');
      await begin();
    }, () => { if (single) committed = true; });
    const tx: Tx = {
      client: guardedClient,
      emit: (type, rooms, data) => record(JSON.stringify([{ type, rooms, data }])),
      emitJson: record,
      eventsWritten: () => { written = true; },
      beginWith: async <R>(statement: string) => {
        if (single || begun) throw new Error('beginWith() runs the first statement of a multi-statement transaction');
        const results = await begin(statement) as unknown as Array<{ rows: R[] }>;
        return results.at(-1)!.rows;
      },
      commitWith: async <R>(statement: string) => {
        if (single || events.length || committed) throw new Error('commitWith() ends a multi-statement transaction whose events are in SQL');
        const results = await begin(`${statement}; COMMIT`) as unknown as Array<{ rows: R[] }>;
        committed = true;
        return results.at(-2)!.rows;
      },
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
      result = await work(tx);
      if (events.length) {
        await begin();
        await appendEventsAndCommit(client, events);
      } else if (begun && !committed) {
        await client.query('COMMIT');
      }
    } catch (error) {
      if (committed) {
        client.release();
        // The statement committed and something after it failed: what it changed still needs its jobs.
        await afterCommit();
        throw error;
      }
      const rolledBack = !begun || single || await client.query('ROLLBACK').then(() => true, () => false);
      // A connection that cannot even roll back is broken: drop it rather than reuse it.
      client.release(!rolledBack);
      throw error;
    }
    client.release();
    await afterCommit();
    return result;
  };
}

/**
 * The work's client. `before` opens the transaction, or refuses a statement after the one that
 * committed (it would run as a transaction of its own, outside the work's); `after` learns that
 * a statement ran.
 */
function guarded(client: DbClient, before: () => Promise<void>, after: () => void): DbClient {
  const query = async (...args: unknown[]) => {
    await before();
    const result = await (client.query as (...a: unknown[]) => Promise<unknown>)(...args);
    after();
    return result;
  };
  return new Proxy(client, { get: (target, key) => (key === 'query' ? query : Reflect.get(target, key)) });
}
