import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, type TestContext } from '../helper.js';
import {
  assignmentRows, assignmentUpdate, desk, expectEachMoveAnnounced, fileTicket, nextOffer, offerOf, respond, roster, setDuty,
  ticketRow, unitStatus, type Desk, type Roster, SPOT, north,
} from './support.js';

let ctx: TestContext;
let d: Desk;
let crews: Roster;

beforeAll(async () => {
  ctx = await build();
  d = await desk(ctx);
  crews = roster(ctx, d);
});
afterAll(async () => {
  crews?.close();
  await ctx?.close();
});


describe('a unit going off duty', () => {
  it('withdraws the offer it holds and the ticket goes to the next unit', async () => {
    const near = await crews.add('gas', north(100));
    const next = await crews.add('gas', north(4000));
    const ticket = await fileTicket(d, { category: 'gas', ...SPOT });
    const offer = await offerOf(near, ticket.id);

    await setDuty(d, near, 'off_duty');

    const withdrawn = await assignmentUpdate(near, offer.assignment.id, 'cancelled');
    expect(withdrawn.ticket.status).toBe('queued');
    expect((await offerOf(next, ticket.id)).assignment.unitId).toBe(next.unit.id);
    expect(await unitStatus(ctx, near.unit.id)).toBe('off_duty');
    expect(await assignmentRows(ctx, ticket.id)).toEqual([
      { unit_id: near.unit.id, status: 'cancelled', reason: 'unit went off duty' },
      { unit_id: next.unit.id, status: 'offered', reason: null },
    ]);
    const audit = await ctx.db.query('SELECT action FROM ticket_events WHERE ticket_id = $1 ORDER BY id', [ticket.id]);
    expect(audit.rows.map((r) => r.action)).toEqual(['created', 'offered', 'offer_withdrawn', 'offered']);
    await expectEachMoveAnnounced(ctx, ticket.id);
  });

  it('does not bar it from the ticket once it is back on duty', async () => {
    const only = await crews.add('water', north(100));
    const ticket = await fileTicket(d, { category: 'water', ...SPOT });
    const first = await offerOf(only, ticket.id);
    await setDuty(d, only, 'off_duty');
    await assignmentUpdate(only, first.assignment.id, 'cancelled');
    expect(await ticketRow(ctx, ticket.id)).toMatchObject({ status: 'queued' });

    const again = nextOffer(only);
    await setDuty(d, only, 'available');
    expect((await again).ticket.id).toBe(ticket.id);
  });

  it('is refused while the unit works an accepted ticket', async () => {
    const only = await crews.add('power', north(100));
    const ticket = await fileTicket(d, { category: 'power', ...SPOT });
    const offer = await offerOf(only, ticket.id);
    expect((await respond(d, only, offer.assignment.id, 'accept')).status).toBe(200);

    const refused = await d.call('PUT', `/v1/units/${only.unit.id}/status`, { token: only.token, body: { status: 'off_duty' } });
    expect(refused.status).toBe(409);
    expect(await unitStatus(ctx, only.unit.id)).toBe('busy');
    expect(await ticketRow(ctx, ticket.id)).toMatchObject({ status: 'accepted' });
  });
});
