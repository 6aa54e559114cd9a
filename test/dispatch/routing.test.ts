import { describe, expect, it } from 'vitest';
import {
  assignmentRows, fileTicket, offerOf, respond, ticketRow, unitStatus, type Roster, SPOT, north, dispatchSuite,
} from './support.js';

const s = dispatchSuite();
const crew: Roster['add'] = (...args) => s.crews.add(...args);

// Each test uses a category of its own, so units from one test never compete in another.

describe('routing a queued ticket', () => {
  it('offers it to the nearest available unit whose type is the ticket category', async () => {
    await crew('heating', north(10));
    await crew('gas', north(20), { available: false });
    const far = await crew('gas', north(5000));
    const near = await crew('gas', north(300));
    const nowhere = await crew('gas', null);

    const ticket = await fileTicket(s.d, { category: 'gas', priority: 'P1', ...SPOT });
    const offer = await offerOf(near, ticket.id);

    expect(offer.assignment.unitId).toBe(near.unit.id);
    expect(offer.ticket.status).toBe('offered');
    // OFFER_TIMEOUT_P1 defaults to 30 s.
    expect(Date.parse(offer.assignment.answerDueAt) - Date.parse(offer.assignment.offeredAt)).toBe(30_000);
    expect(await unitStatus(s.ctx, near.unit.id)).toBe('busy');
    expect(await unitStatus(s.ctx, far.unit.id)).toBe('available');
    expect(await unitStatus(s.ctx, nowhere.unit.id)).toBe('available');
    expect(await assignmentRows(s.ctx, ticket.id)).toEqual([{ unit_id: near.unit.id, status: 'offered', reason: null }]);
  });

  it('offers units without a location only after every unit with one', async () => {
    const nowhere = await crew('power', null);
    const far = await crew('power', north(50_000));

    const first = await fileTicket(s.d, { category: 'power', ...SPOT });
    expect((await offerOf(far, first.id)).assignment.unitId).toBe(far.unit.id);
    const second = await fileTicket(s.d, { category: 'power', ...SPOT });
    expect((await offerOf(nowhere, second.id)).assignment.unitId).toBe(nowhere.unit.id);
  });

  it('sends a declined offer to the next nearest unit and never back to a unit that declined', async () => {
    const near = await crew('water', north(100));
    const next = await crew('water', north(2000));

    const ticket = await fileTicket(s.d, { category: 'water', ...SPOT });
    const first = await offerOf(near, ticket.id);
    const declined = await respond(s.d, near, first.assignment.id, 'decline', { reason: 'engine trouble' });
    expect(declined.status).toBe(200);
    expect(declined.body.assignment.status).toBe('declined');

    const second = await offerOf(next, ticket.id);
    expect(second.assignment.unitId).toBe(next.unit.id);
    expect(await respond(s.d, next, second.assignment.id, 'decline', { reason: 'no crew' }))
      .toMatchObject({ status: 200 });

    // Both units are free again but declined it: only a unit that has not declined can take it.
    const fresh = await crew('water', north(9000));
    expect((await offerOf(fresh, ticket.id)).assignment.unitId).toBe(fresh.unit.id);
    expect(await assignmentRows(s.ctx, ticket.id)).toEqual([
      { unit_id: near.unit.id, status: 'declined', reason: 'engine trouble' },
      { unit_id: next.unit.id, status: 'declined', reason: 'no crew' },
      { unit_id: fresh.unit.id, status: 'offered', reason: null },
    ]);
    expect(await unitStatus(s.ctx, near.unit.id)).toBe('available');
  });

  it('leaves an unclassified ticket for a human even with a unit free, and routes it once a category is set', async () => {
    const near = await crew('police', north(50));
    const other = await crew('police', north(800));

    const unclassified = await fileTicket(s.d, { category: 'unclassified', ...SPOT });
    // Filed after it: had the unclassified ticket been routed, the nearest unit would be taken.
    const police = await fileTicket(s.d, { category: 'police', ...SPOT });
    expect((await offerOf(near, police.id)).assignment.unitId).toBe(near.unit.id);
    expect(await ticketRow(s.ctx, unclassified.id)).toMatchObject({ status: 'queued' });
    expect(await assignmentRows(s.ctx, unclassified.id)).toEqual([]);

    const patched = await s.d.call('PATCH', `/v1/tickets/${unclassified.id}`, { token: s.d.dispatcher, body: { category: 'police' } });
    expect(patched.status).toBe(200);
    expect((await offerOf(other, unclassified.id)).assignment.unitId).toBe(other.unit.id);
  });
});
