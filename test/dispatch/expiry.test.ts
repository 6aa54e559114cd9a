import { describe, expect, it } from 'vitest';
import {
  assignmentRows, assignmentUpdate, expectEachMoveAnnounced, fileTicket, offerOf, respond, ticketRow, unitStatus,
  SPOT, north, dispatchSuite,
} from './support.js';

const s = dispatchSuite({ env: { OFFER_TIMEOUT_P1: '1', OFFER_TIMEOUT_P2: '2', OFFER_TIMEOUT_P3: '3' } });

describe('an offer nobody answers', () => {
  it('expires after its priority\'s timeout and goes to the next nearest unit, never back', async () => {
    const near = await s.crews.add('gas', north(100));
    const next = await s.crews.add('gas', north(3000));

    const ticket = await fileTicket(s.d, { category: 'gas', priority: 'P2', ...SPOT });
    const first = await offerOf(near, ticket.id);
    expect(Date.parse(first.assignment.answerDueAt) - Date.parse(first.assignment.offeredAt)).toBe(2000);
    const expired = await assignmentUpdate(near, first.assignment.id, 'expired');
    expect(expired.ticket.status).toBe('queued');

    const second = await offerOf(next, ticket.id);
    await assignmentUpdate(next, second.assignment.id, 'expired');

    // Both units are free, but each let this ticket's offer run out: it waits for another unit.
    expect(await unitStatus(s.ctx, near.unit.id)).toBe('available');
    expect(await unitStatus(s.ctx, next.unit.id)).toBe('available');
    expect(await ticketRow(s.ctx, ticket.id)).toMatchObject({ status: 'queued' });
    expect(await assignmentRows(s.ctx, ticket.id)).toEqual([
      { unit_id: near.unit.id, status: 'expired', reason: null },
      { unit_id: next.unit.id, status: 'expired', reason: null },
    ]);

    await expectEachMoveAnnounced(s.ctx, ticket.id);

    const late = await respond(s.d, near, first.assignment.id, 'accept');
    expect(late.status).toBe(409);
    expect(late.body.code).toBe('invalid_transition');
  });

  it('does not bar the unit from other tickets', async () => {
    const only = await s.crews.add('water', north(100));
    const ignored = await fileTicket(s.d, { category: 'water', priority: 'P1', ...SPOT });
    const first = await offerOf(only, ignored.id);
    await assignmentUpdate(only, first.assignment.id, 'expired');

    const other = await fileTicket(s.d, { category: 'water', priority: 'P1', ...SPOT });
    const offer = await offerOf(only, other.id);
    expect(offer.assignment.unitId).toBe(only.unit.id);
    expect(await ticketRow(s.ctx, ignored.id)).toMatchObject({ status: 'queued' });
  });
});

describe('an expiry that fires before the answer time', () => {
  it('leaves the offer standing, however close its time is, so a responder answering in time is never refused', async () => {
    const crew = await s.crews.add('gas', north(100));
    const ticket = await fileTicket(s.d, { category: 'gas', priority: 'P3', ...SPOT });
    const offer = await offerOf(crew, ticket.id);
    await s.ctx.db.query(`UPDATE assignments SET answer_due_at = now() + interval '300 milliseconds' WHERE id = $1`, [offer.assignment.id]);

    expect(await s.ctx.system.services.dispatch.expire(offer.assignment.id)).toBe('not_due');
    expect((await respond(s.d, crew, offer.assignment.id, 'accept')).status).toBe(200);
  });
});
