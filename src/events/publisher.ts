import type { Redis } from '../redis.js';
import { channels } from './channels.js';

/**
 * The one event publisher. Events are rows written in the transaction that raised them; after
 * COMMIT this wakes the relay, which publishes them in seq order. A lost wake-up costs latency,
 * not events: the relay also polls.
 */
export class EventPublisher {
  private readonly channel: string;

  constructor(private readonly redis: Redis, prefix: string) {
    this.channel = channels(prefix).poke;
  }

  committed(): void {
    this.redis.publish(this.channel, '').catch(() => {});
  }
}
