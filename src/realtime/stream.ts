import type { Logger } from 'pino';
import type { Pool } from '../db/pool.js';
import { eventWatermark, eventsBetween, eventsForReplay } from '../events/log.js';
import type { Envelope, RelayBatch, StoredEvent } from '../events/types.js';

/** How far back a reconnecting client is replayed (CONTRACT §6). */
const REPLAY_WINDOW_HOURS = 24;
const REPLAY_PAGE = 1000;
const FILL_PAGE = 1000;

/** Where this process delivers live events: to the members of the rooms. */
export interface Delivery {
  toRooms(rooms: string[], event: StoredEvent): void;
}

/** One socket's replay, as the stream sees it. */
export interface ReplayTarget {
  rooms: string[];
  /** The client has every event up to this seq. */
  lastSeq: number;
  send(event: StoredEvent): void;
  /** Makes the socket a member of its rooms; called in the same tick as the last replayed event. */
  join(): void;
  /** False once the socket has gone: the replay stops early. */
  alive(): boolean;
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
 * handled: every event at or below it has gone to the rooms or was settled before this process
 * started (reachable by replay only). Work that moves the position runs strictly one step after
 * another on `chain`; batches the relay never got here (lost message, leader change, a relay
 * that started later) are filled from PostgreSQL before anything later goes out.
 */
export class EventStream {
  private position = 0;
  private chain: Promise<void> = Promise.resolve();
  private ready: Promise<void> | null = null;
  private readonly replaying = new Set<Replaying>();

  constructor(private readonly pool: Pool, private readonly delivery: Delivery, private readonly logger: Logger) {}

  /** Takes the current watermark as the position; must finish before batches or replays are handled. */
  start(): Promise<void> {
    this.ready ??= this.step(async () => { this.position = await eventWatermark(this.pool); });
    return this.ready;
  }

  receive(batch: RelayBatch): void {
    // Before start() there is no position to measure a batch against.
    if (!this.ready) return;
    void this.step(() => this.handle(batch)).catch((error) => {
      this.logger.error({ err: error }, 'event batch could not be delivered; the next batch fills the gap');
    });
  }

  /** Resolves once every step queued so far has run. */
  settled(): Promise<void> {
    return this.chain;
  }

  /**
   * Replays to one socket every event after `lastSeq` for its rooms, then makes it a member of
   * them with no gap and no duplicate at the seam: live events that arrive meanwhile wait in
   * its buffer and go out just before it joins.
   */
  async replay(target: ReplayTarget): Promise<void> {
    if (!this.ready) throw new Error('event stream not started');
    await this.ready;
    // A client that saw events this process has not reached yet (it was connected to a process
    // further ahead) would get them again live: reach them first, straight from the log.
    if (target.lastSeq > this.position) await this.step(async () => this.fillTo(await eventWatermark(this.pool)));
    const state: Replaying = { rooms: new Set(target.rooms), buffer: [] };
    this.replaying.add(state);
    try {
      // Read in the tick that registered the buffer: everything later is buffered.
      const upTo = this.position;
      let after = target.lastSeq;
      while (after < upTo && target.alive()) {
        const page = await eventsForReplay(this.pool, after, upTo, target.rooms, REPLAY_WINDOW_HOURS, REPLAY_PAGE);
        for (const event of page) target.send(event);
        if (page.length < REPLAY_PAGE) break;
        after = page[page.length - 1]!.seq;
      }
      if (!target.alive()) return;
      for (const event of state.buffer) target.send(event);
      target.join();
    } finally {
      this.replaying.delete(state);
    }
  }

  /** Queues work on the chain; the chain itself never rejects, the caller sees the error. */
  private step(work: () => Promise<void>): Promise<void> {
    const run = this.chain.then(work);
    this.chain = run.catch(() => {});
    return run;
  }

  private async handle(batch: RelayBatch): Promise<void> {
    if (batch.upTo <= this.position) return;
    if (batch.after > this.position) await this.fillTo(batch.after);
    for (const event of batch.events) if (event.seq > this.position) this.deliver(event);
    // Seqs of the range that carried no event were rolled back: nothing to wait for.
    this.position = batch.upTo;
  }

  /** Delivers from the log every event up to `upTo`, a seq no transaction can still write below. */
  private async fillTo(upTo: number): Promise<void> {
    while (this.position < upTo) {
      const events = await eventsBetween(this.pool, this.position, upTo, FILL_PAGE);
      for (const event of events) this.deliver(event);
      if (events.length < FILL_PAGE) this.position = upTo;
    }
  }

  private deliver(event: StoredEvent): void {
    this.position = event.seq;
    this.delivery.toRooms(event.rooms, event);
    for (const state of this.replaying) {
      if (event.rooms.some((room) => state.rooms.has(room))) state.buffer.push(event);
    }
  }
}
