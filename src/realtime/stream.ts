import type { Logger } from 'pino';
import type { Pool } from '../db/pool.js';
import { eventWatermark, eventsBetween, eventsForReplay } from '../events/log.js';
import type { Envelope, StoredEvent } from '../events/types.js';

/** How far back a reconnecting client is replayed (CONTRACT §6). */
const REPLAY_WINDOW_HOURS = 24;
const REPLAY_PAGE = 1000;
const GAP_PAGE = 1000;

/** Where this process delivers events: to room members, and to one socket during its replay. */
export interface Delivery {
  toRooms(rooms: string[], event: StoredEvent): void;
}

interface Replaying {
  rooms: Set<string>;
  buffer: StoredEvent[];
}

export function envelope(event: StoredEvent): Envelope {
  return { seq: event.seq, type: event.type, at: event.at, data: event.data };
}

/**
 * This API process's view of the ordered event stream. `position` is the highest seq it has
 * handled: every event at or below it has been delivered live or is in PostgreSQL for replay.
 * Batches from the relay are handled strictly one after another; a gap (a relay that changed
 * leader, a lost message) is filled from PostgreSQL before anything later goes out.
 */
export class EventStream {
  private position = 0;
  private chain: Promise<void> = Promise.resolve();
  private readonly replaying = new Map<string, Replaying>();

  constructor(private readonly pool: Pool, private readonly delivery: Delivery, private readonly logger: Logger) {}

  /** Starts at the current watermark: older events reach sockets through replay only. */
  async start(): Promise<void> {
    this.position = await eventWatermark(this.pool);
  }

  receive(batch: StoredEvent[]): void {
    this.chain = this.chain.then(() => this.handle(batch)).catch((error) => {
      this.logger.error({ err: error }, 'event batch could not be delivered');
    });
  }

  /** Resolves once every batch received so far has been handled. */
  settled(): Promise<void> {
    return this.chain;
  }

  /**
   * Replays to one socket everything after `lastSeq` for its rooms, then hands it live events
   * with no gap and no duplicate: live events that arrive meanwhile wait in its buffer.
   */
  async replay(socketId: string, rooms: string[], lastSeq: number, send: (event: StoredEvent) => void, join: () => void): Promise<void> {
    const state: Replaying = { rooms: new Set(rooms), buffer: [] };
    this.replaying.set(socketId, state);
    try {
      const upTo = this.position;
      let after = lastSeq;
      for (;;) {
        const page = await eventsForReplay(this.pool, after, upTo, rooms, REPLAY_WINDOW_HOURS, REPLAY_PAGE);
        for (const event of page) send(event);
        if (page.length < REPLAY_PAGE) break;
        after = page[page.length - 1]!.seq;
      }
      for (const event of state.buffer) if (event.seq > lastSeq) send(event);
      // Same tick as the flush: no live event can slip between the buffer and the rooms.
      join();
    } finally {
      this.replaying.delete(socketId);
    }
  }

  forget(socketId: string): void {
    this.replaying.delete(socketId);
  }

  private async handle(batch: StoredEvent[]): Promise<void> {
    for (const event of batch) {
      if (event.seq <= this.position) continue;
      if (event.seq > this.position + 1) await this.fillGap(event.seq);
      this.deliver(event);
    }
  }

  private async fillGap(before: number): Promise<void> {
    while (this.position < before - 1) {
      const missing = await eventsBetween(this.pool, this.position, before - 1, GAP_PAGE);
      for (const event of missing) this.deliver(event);
      if (missing.length < GAP_PAGE) {
        this.position = Math.max(this.position, before - 1);
        return;
      }
    }
  }

  private deliver(event: StoredEvent): void {
    this.position = event.seq;
    this.delivery.toRooms(event.rooms, event);
    for (const state of this.replaying.values()) {
      if (event.rooms.some((room) => state.rooms.has(room))) state.buffer.push(event);
    }
  }
}
