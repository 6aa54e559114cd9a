import { describe, expect, it } from 'vitest';
import { fileTicket, nextOffer, setDuty, workThrough, dispatchSuite } from './support.js';

const s = dispatchSuite();

describe('queued work', () => {
  it('goes to a freed unit P1 before P2 before P3, the older first within a priority', async () => {
    const unit = await s.crews.add('heating', { lat: 34.75, lon: 113.62 }, { available: false });
    // Filed with no heating unit on duty: all four wait in the queue.
    const p3 = await fileTicket(s.d, { category: 'heating', priority: 'P3' });
    const p1 = await fileTicket(s.d, { category: 'heating', priority: 'P1' });
    const p2Older = await fileTicket(s.d, { category: 'heating', priority: 'P2' });
    const p2Newer = await fileTicket(s.d, { category: 'heating', priority: 'P2' });

    const taken: string[] = [];
    const offered = nextOffer(unit);
    await setDuty(s.d, unit, 'available');
    let offer = await offered;
    for (let round = 0; round < 4; round++) {
      taken.push(offer.ticket.id);
      const following = round < 3 ? nextOffer(unit) : null;
      // Resolving frees the unit, which then takes the best ticket still queued.
      await workThrough(s.d, unit, offer.assignment.id);
      if (following) offer = await following;
    }

    expect(taken).toEqual([p1.id, p2Older.id, p2Newer.id, p3.id]);
  });
});
