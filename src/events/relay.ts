import { Emitter } from '@socket.io/redis-emitter';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Pool } from '../db/pool.js';
import type { Redis } from '../redis.js';
import { channels } from './channels.js';
import { eventWatermark, eventsBetween, relayBatch } from './log.js';
import type { Envelope, RelayBatch, StoredEvent } from './types.js';

const LEADER_LOCK = 110111;
const BATCH = 500;
const POLL_MS = 200;
const LEADER_RETRY_MS = 1000;
/** With nothing new, the leader still says where the log stands this often, so a lost batch costs at most this much. */
const HEARTBEAT_MS = 1000;

export interface RelayDeps {
  pool: Pool;
  databaseUrl: string;
  /** A command connection (publishes batches, keeps the position). */
  redis: Redis;
  /** A connection this relay may put in subscriber mode. */
  subscriber: Redis;
  prefix: string;
  logger: Logger;
}

/**
 * The emitter publishes and forgets, so a Redis outage would surface as an unhandled rejection
 * and the relay could not tell a sent batch from a lost one. This client keeps the last publish
 * for the relay to await.
 */
class AwaitedPublish {
  private last: Promise<unknown> = Promise.resolve();

  constructor(private readonly redis: Redis) {}

  publish(channel: string, message: string): Promise<number> {
    const sent = this.redis.publish(channel, message);
    this.last = sent;
    return sent;
  }

  sent(): Promise<unknown> {
    return this.last;
  }
}

/**
 * Publishes committed events to every API process, in seq order. One relay leads at a time
 * (a PostgreSQL advisory lock held by its session); the others wait to take over. API processes
 * drop what they already have and fill from PostgreSQL what they missed, so an overlap of two
 * leaders, or a leader that starts behind or ahead of them, costs neither order nor events.
 */
export class EventRelay {
  private readonly names;
  private readonly publisher: AwaitedPublish;
  private readonly emitter: Emitter;
  private leaderClient: pg.Client | null = null;
  private position = 0;
  private lastPublishAt = 0;
  private draining: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private ticking: Promise<void> | null = null;
  private stopped = false;

  constructor(private readonly deps: RelayDeps) {
    this.names = channels(deps.prefix);
    this.publisher = new AwaitedPublish(deps.redis);
    this.emitter = new Emitter(this.publisher, { key: this.names.socketIoKey });
  }

  async start(): Promise<void> {
    await this.deps.subscriber.subscribe(this.names.poke);
    this.deps.subscriber.on('message', () => this.wake());
    this.schedule(0);
  }

  get isLeader(): boolean {
    return this.leaderClient !== null;
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    // A tick in flight may be taking the lead: its session must not outlive the relay.
    await this.ticking;
    await this.draining;
    await this.deps.subscriber.unsubscribe().catch(() => {});
    if (this.leaderClient) await this.resign(this.leaderClient);
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.ticking = this.tick().finally(() => {
        this.ticking = null;
        this.schedule(this.isLeader ? POLL_MS : LEADER_RETRY_MS);
      });
    }, ms);
  }

  private async tick(): Promise<void> {
    if (!this.isLeader) await this.tryLead();
    if (this.isLeader) this.wake();
    await this.draining;
  }

  private async tryLead(): Promise<void> {
    const client = new pg.Client({
      connectionString: this.deps.databaseUrl, application_name: 'livelihood110-relay', statement_timeout: 30000,
    });
    // Losing the session loses the lock: stop leading at once so two relays never overlap for long.
    client.on('error', () => void this.resign(client));
    client.on('end', () => { if (this.leaderClient === client) this.leaderClient = null; });
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK]);
      if (!rows[0]?.ok || this.stopped) {
        await client.end();
        return;
      }
      this.position = await this.startPosition();
      this.leaderClient = client;
      this.deps.logger.info({ position: this.position }, 'event relay leading');
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'event relay could not take the lead');
      await client.end().catch(() => {});
    }
  }

  /** Ending the session releases the lock for a standby relay. */
  private resign(client: pg.Client): Promise<void> {
    if (this.leaderClient === client) this.leaderClient = null;
    return client.end().catch(() => {});
  }

  /**
   * Where the last leader stopped, never past the log's end (a Redis kept while the database was
   * replaced). With nothing saved, the current watermark: the first heartbeat then tells API
   * processes to fill whatever they are missing below it from PostgreSQL.
   */
  private async startPosition(): Promise<number> {
    const watermark = await eventWatermark(this.deps.pool);
    const saved = Number(await this.deps.redis.get(this.names.relayPosition).catch(() => null));
    return Number.isSafeInteger(saved) && saved > 0 && saved <= watermark ? saved : watermark;
  }

  private wake(): void {
    if (!this.isLeader || this.stopped) return;
    if (this.draining) {
      this.again = true;
      return;
    }
    this.draining = this.drain()
      .catch((error) => this.deps.logger.warn({ err: error }, 'event relay drain failed; retrying'))
      .finally(() => {
        this.draining = null;
        if (this.again) {
          this.again = false;
          this.wake();
        }
      });
  }

  private async drain(): Promise<void> {
    const leader = this.leaderClient;
    if (!leader) return;
    const from = this.position;
    let { watermark: upTo, events } = await this.firstBatchAsLeader(leader, from);
    for (;;) {
      const batchUpTo = events.length === BATCH ? events[BATCH - 1]!.seq : upTo;
      if (batchUpTo > this.position) {
        await this.publish({ after: this.position, upTo: batchUpTo, events });
        this.position = batchUpTo;
      }
      // Another relay may have taken over meanwhile: stop adding to the overlap.
      if (this.position >= upTo || this.leaderClient !== leader) break;
      events = await eventsBetween(this.deps.pool, this.position, upTo, BATCH);
    }
    if (this.position > from) {
      await this.deps.redis.set(this.names.relayPosition, String(this.position));
    } else if (Date.now() - this.lastPublishAt >= HEARTBEAT_MS) {
      await this.publish({ after: this.position, upTo: this.position, events: [] });
    }
  }

  /**
   * The watermark and the first events up to it, in one round trip (relay_batch, migrations/003),
   * on the leader's own session: an answer proves the session, and so the lock, is still ours.
   */
  private async firstBatchAsLeader(leader: pg.Client, after: number): Promise<{ watermark: number; events: StoredEvent[] }> {
    try {
      return await relayBatch(leader, after, BATCH);
    } catch (error) {
      void this.resign(leader);
      throw error;
    }
  }

  private async publish(batch: RelayBatch): Promise<void> {
    this.emitter.serverSideEmit(this.names.batchEvent, batch);
    await this.publisher.sent();
    this.lastPublishAt = Date.now();
  }
}

export type { Envelope };
