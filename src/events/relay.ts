import { Emitter } from '@socket.io/redis-emitter';
import pg from 'pg';
import type { Logger } from 'pino';
import type { Pool } from '../db/pool.js';
import type { Redis } from '../redis.js';
import { channels } from './channels.js';
import { eventWatermark, eventsBetween } from './log.js';
import type { Envelope } from './types.js';

const LEADER_LOCK = 110111;
const BATCH = 500;
const POLL_MS = 200;
const LEADER_RETRY_MS = 1000;

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
 * Publishes committed events to every API process, in seq order. One relay leads at a time
 * (a PostgreSQL advisory lock held by its session); the others wait to take over.
 */
export class EventRelay {
  private readonly names;
  private readonly emitter: Emitter;
  private leaderClient: pg.Client | null = null;
  private position = 0;
  private draining: Promise<void> | null = null;
  private again = false;
  private timer: NodeJS.Timeout | null = null;
  private stopped = false;

  constructor(private readonly deps: RelayDeps) {
    this.names = channels(deps.prefix);
    this.emitter = new Emitter(deps.redis, { key: this.names.socketIoKey });
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
    await this.draining;
    await this.deps.subscriber.unsubscribe().catch(() => {});
    await this.leaderClient?.end().catch(() => {});
    this.leaderClient = null;
  }

  private schedule(ms: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      void this.tick().finally(() => this.schedule(this.isLeader ? POLL_MS : LEADER_RETRY_MS));
    }, ms);
  }

  private async tick(): Promise<void> {
    if (!this.isLeader) await this.tryLead();
    if (this.isLeader) this.wake();
    await this.draining;
  }

  private async tryLead(): Promise<void> {
    const client = new pg.Client({ connectionString: this.deps.databaseUrl, application_name: 'livelihood110-relay' });
    try {
      await client.connect();
      const { rows } = await client.query<{ ok: boolean }>('SELECT pg_try_advisory_lock($1) AS ok', [LEADER_LOCK]);
      if (!rows[0]?.ok) {
        await client.end();
        return;
      }
      // Losing the session loses the lock: stop leading at once so two relays never overlap for long.
      client.on('error', () => { this.leaderClient = null; });
      client.on('end', () => { this.leaderClient = null; });
      this.position = await this.startPosition();
      this.leaderClient = client;
      this.deps.logger.info({ position: this.position }, 'event relay leading');
    } catch (error) {
      this.deps.logger.warn({ err: error }, 'event relay could not take the lead');
      await client.end().catch(() => {});
    }
  }

  /** Where the last leader stopped; if Redis forgot, API processes fill any gap from PostgreSQL. */
  private async startPosition(): Promise<number> {
    const saved = await this.deps.redis.get(this.names.relayPosition).catch(() => null);
    return saved ? Number(saved) : eventWatermark(this.deps.pool);
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
    const upTo = await eventWatermark(this.deps.pool);
    while (this.position < upTo) {
      const events = await eventsBetween(this.deps.pool, this.position, upTo, BATCH);
      if (events.length === 0) {
        this.position = upTo;
        break;
      }
      this.emitter.serverSideEmit(this.names.batchEvent, events);
      this.position = events[events.length - 1]!.seq;
    }
    await this.deps.redis.set(this.names.relayPosition, String(this.position));
  }
}

export type { Envelope };
