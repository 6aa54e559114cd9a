import { describe, expect, it } from 'vitest';
import {
  assignmentRows, assignmentUpdate, expectEachMoveAnnounced, fileTicket, nextOffer, offerOf, respond, setDuty,
  ticketRow, unitStatus, SPOT, north, dispatchSuite,
} from './support.js';

const s = dispatchSuite();

describe('a unit going off duty', () => {
  it('withdraws the offer it holds and the ticket goes to the next unit', async () => {
    const near = await s.crews.add('gas', north(100));
    const next = await s.crews.add('gas', north(4000));
    const ticket = await fileTicket(s.d, { category: 'gas', ...SPOT });
    const offer = await offerOf(near, ticket.id);

    await setDuty(s.d, near, 'off_duty');

    const withdrawn = await assignmentUpdate(near, offer.assignment.id, 'cancelled');
    expect(withdrawn.ticket.status).toBe('queued');
    expect((await offerOf(next, ticket.id)).assignment.unitId).toBe(next.unit.id);
    expect(await unitStatus(s.ctx, near.unit.id)).toBe('off_duty');
    expect(await assignmentRows(s.ctx, ticket.id)).toEqual([
      { unit_id: near.unit.id, status: 'cancelled', reason: 'unit went off duty' },
      { unit_id: next.unit.id, status: 'offered', reason: null },
    ]);
    const audit = await s.ctx.db.query('SELECT action FROM ticket_events WHERE ticket_id = $1 ORDER BY id', [ticket.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['created', 'offered', 'offer_withdrawn', 'offered']);
    await expectEachMoveAnnounced(s.ctx, ticket.id);
  });

  it('does not bar it from the ticket once it is back on duty', async () => {
    const only = await s.crews.add('water', north(100));
    const ticket = await fileTicket(s.d, { category: 'water', ...SPOT });
    const first = await offerOf(only, ticket.id);
    await setDuty(s.d, only, 'off_duty');
    await assignmentUpdate(only, first.assignment.id, 'cancelled');
    expect(await ticketRow(s.ctx, ticket.id)).toMatchObject({ status: 'queued' });

    const again = nextOffer(only);
    await setDuty(s.d, only, 'available');
    expect((await again).ticket.id).toBe(ticket.id);
  });

  it('is refused while the unit works an accepted ticket', async () => {
    const only = await s.crews.add('power', north(100));
    const ticket = await fileTicket(s.d, { category: 'power', ...SPOT });
    const offer = await offerOf(only, ticket.id);
    expect((await respond(s.d, only, offer.assignment.id, 'accept')).status).toBe(200);

    const refused = await s.d.call('PUT', `/v1/units/${only.unit.id}/status`, { token: only.token, body: { status: 'off_duty' } });
    expect(refused.status).toBe(409);
    expect(await unitStatus(s.ctx, only.unit.id)).toBe('busy');
    expect(await ticketRow(s.ctx, ticket.id)).toMatchObject({ status: 'accepted' });
  });
});
