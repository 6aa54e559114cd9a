import { describe, expect, it } from 'vitest';
import { assignmentUpdate, dispatchSuite, fileTicket, offerOf } from './support.js';

const s = dispatchSuite();

describe('a process of the previous release, still running during an upgrade', () => {
  it('records a device receipt through mark_delivered, which still answers a boolean', async () => {
    const unit = await s.crews.add('water', { lat: 34.75, lon: 113.62 });
    const ticket = await fileTicket(s.d, { category: 'water' });
    const offer = await offerOf(unit, ticket.id);
    // As that release sends it: a named statement whose result type must not change under it.
    const receipt = { name: 'mark-delivered', text: 'SELECT mark_delivered($1, $2) AS marked', values: [offer.assignment.id, unit.unit.id] };
    expect((await s.ctx.db.query(receipt)).rows).toEqual([{ marked: true }]);
    expect((await assignmentUpdate(unit, offer.assignment.id, 'offered')).assignment).toMatchObject({ deliveredAt: expect.any(String) });
    expect((await s.ctx.db.query(receipt)).rows).toEqual([{ marked: false }]);
  });
});
