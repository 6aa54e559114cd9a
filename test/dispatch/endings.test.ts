import { describe, expect, it } from 'vitest';
import {
  assignmentRows, assignmentUpdate, expectEachMoveAnnounced, fileTicket, nextOffer, offerOf, onTicket, respond,
  ticketRow, unitStatus, workThrough, dispatchSuite,
} from './support.js';

const s = dispatchSuite();

// Each test uses a category of its own, so units from one test never compete in another.
describe('ending a ticket by hand', () => {
  it('cancel withdraws the accepted assignment, frees the unit and ends the ticket', async () => {
    const unit = await s.crews.add('power', { lat: 34.75, lon: 113.62 });
    const ticket = await fileTicket(s.d, { category: 'power' });
    const offer = await offerOf(unit, ticket.id);
    expect((await respond(s.d, unit, offer.assignment.id, 'accept')).status).toBe(200);

    const cancelled = await onTicket(s.d, ticket.id, 'cancel', { reason: 'caller rang back: sorted' });
    expect(cancelled.status).toBe(200);
    expect(cancelled.body).toMatchObject({ status: 'cancelled', cancelReason: 'caller rang back: sorted' });

    await assignmentUpdate(unit, offer.assignment.id, 'cancelled');
    expect(await unitStatus(s.ctx, unit.unit.id)).toBe('available');
    expect(await assignmentRows(s.ctx, ticket.id))
      .toEqual([{ unit_id: unit.unit.id, status: 'cancelled', reason: 'ticket withdrawn' }]);
    await expectEachMoveAnnounced(s.ctx, ticket.id);
  });

  it('merge folds a duplicate into an open ticket, and the freed unit takes the ticket still waiting', async () => {
    const unit = await s.crews.add('heating', { lat: 34.75, lon: 113.62 });
    const duplicate = await fileTicket(s.d, { category: 'heating' });
    const original = await fileTicket(s.d, { category: 'heating' });
    const first = await offerOf(unit, duplicate.id);
    const following = nextOffer(unit);

    const merged = await onTicket(s.d, duplicate.id, 'merge', { into: original.id });
    expect(merged.status).toBe(200);
    expect(merged.body).toMatchObject({ status: 'merged', mergedInto: original.id });

    await assignmentUpdate(unit, first.assignment.id, 'cancelled');
    expect((await following).ticket.id).toBe(original.id);
    const audit = await s.ctx.db.query('SELECT action FROM ticket_events WHERE ticket_id = $1 ORDER BY id', [original.id]);
    expect(audit.rows.map((r) => r.action)).toContain('merge_received');
    await expectEachMoveAnnounced(s.ctx, duplicate.id);

    const intoEnded = await onTicket(s.d, original.id, 'merge', { into: duplicate.id });
    expect(intoEnded.status).toBe(409);
    expect(await ticketRow(s.ctx, original.id)).toMatchObject({ status: 'offered', merged_into: null });
  });

  it('close after the callback records the caller\'s satisfaction on a resolved ticket', async () => {
    const unit = await s.crews.add('repair', { lat: 34.75, lon: 113.62 });
    const ticket = await fileTicket(s.d, { category: 'repair' });
    const offer = await offerOf(unit, ticket.id);
    await workThrough(s.d, unit, offer.assignment.id);

    const closed = await onTicket(s.d, ticket.id, 'close', { satisfaction: 4, note: 'lift works again' }, s.d.operator);
    expect(closed.status).toBe(200);
    expect(closed.body).toMatchObject({ status: 'closed', satisfaction: 4, closeNote: 'lift works again' });
    expect(await assignmentRows(s.ctx, ticket.id)).toEqual([{ unit_id: unit.unit.id, status: 'completed', reason: null }]);
  });
});
