import type { Redis } from '../redis.js';
import { channels } from './channels.js';

/**
 * The one event publisher. Events are rows written in the transaction that raised them; after
 * COMMIT this wakes the relay, which publishes them in seq order. A lost wake-up costs latency,
 * not events: the relay also polls.
 */
export class EventPublisher {
  private readonly channel: string;
  private inFlight = false;
  private again = false;

  constructor(private readonly redis: Redis, prefix: string) {
    this.channel = channels(prefix).poke;
  }

  /**
   * One wake-up in flight at a time: commits meanwhile are covered by one more after it, since
   * the relay reads everything committed when it wakes. At hundreds of commits a second that is
   * a PUBLISH per round trip to Redis instead of one per commit.
   */
  committed(): void {
    if (this.inFlight) {
      this.again = true;
      return;
    }
    this.inFlight = true;
    this.redis.publish(this.channel, '').catch(() => {}).finally(() => {
      this.inFlight = false;
      if (this.again) {
        this.again = false;
        this.committed();
      }
    });
  }
}
