import { describe, expect, it } from 'vitest';
import { untilWaitingOnARow } from '../helper.js';
import {
  assignmentRows, assignmentUpdate, expectEachMoveAnnounced, fileTicket, offerOf, onTicket, unitStatus, SPOT, north,
  dispatchSuite,
} from './support.js';

const s = dispatchSuite();

// Each test uses categories of its own, so units from one test never compete in another.
describe('a dispatcher choosing the unit', () => {
  it('is refused a unit of another type unless forced, and a busy unit even when forced', async () => {
    const police = await s.crews.add('police', north(100));
    // No water unit exists: both water tickets wait in the queue.
    const flood = await fileTicket(s.d, { category: 'water', ...SPOT });
    const leak = await fileTicket(s.d, { category: 'water', ...SPOT });
    const assign = (ticketId: string, force?: boolean) =>
      onTicket(s.d, ticketId, 'assign', { unitId: police.unit.id, ...(force === undefined ? {} : { force }) });

    const wrongType = await assign(flood.id);
    expect(wrongType.status).toBe(409);
    expect(wrongType.body.code).toBe('conflict');

    const forced = await assign(flood.id, true);
    expect(forced.status).toBe(200);
    expect(forced.body.assignment).toMatchObject({ unitId: police.unit.id, status: 'offered', forced: true });
    expect(forced.body.ticket.status).toBe('offered');
    expect((await offerOf(police, flood.id)).assignment.id).toBe(forced.body.assignment.id);

    const busy = await assign(leak.id, true);
    expect(busy.status).toBe(409);
    expect(await assignmentRows(s.ctx, leak.id)).toEqual([]);
    expect(await unitStatus(s.ctx, police.unit.id)).toBe('busy');
  });

  it('reassigning withdraws the current offer and frees the unit that held it', async () => {
    const near = await s.crews.add('gas', north(100));
    const chosen = await s.crews.add('gas', north(6000));
    const ticket = await fileTicket(s.d, { category: 'gas', ...SPOT });
    const first = await offerOf(near, ticket.id);

    const reassigned = await onTicket(s.d, ticket.id, 'assign', { unitId: chosen.unit.id });
    expect(reassigned.status).toBe(200);
    expect(reassigned.body.assignment).toMatchObject({ unitId: chosen.unit.id, status: 'offered', forced: false });

    await assignmentUpdate(near, first.assignment.id, 'cancelled');
    await offerOf(chosen, ticket.id);
    expect(await unitStatus(s.ctx, near.unit.id)).toBe('available');
    expect(await assignmentRows(s.ctx, ticket.id)).toEqual([
      { unit_id: near.unit.id, status: 'cancelled', reason: 'reassigned' },
      { unit_id: chosen.unit.id, status: 'offered', reason: null },
    ]);
    await expectEachMoveAnnounced(s.ctx, ticket.id);
  });

  it('correcting the category withdraws the offer and routes the ticket to a unit of the new type', async () => {
    const wrong = await s.crews.add('power', north(100));
    const right = await s.crews.add('heating', north(2000));
    const ticket = await fileTicket(s.d, { category: 'power', ...SPOT });
    const first = await offerOf(wrong, ticket.id);

    const patched = await s.d.call('PATCH', `/v1/tickets/${ticket.id}`, { token: s.d.operator, body: { category: 'heating' } });
    expect(patched.status).toBe(200);
    expect(patched.body.category).toBe('heating');

    await assignmentUpdate(wrong, first.assignment.id, 'cancelled');
    expect((await offerOf(right, ticket.id)).assignment.unitId).toBe(right.unit.id);
    expect(await unitStatus(s.ctx, wrong.unit.id)).toBe('available');
    await expectEachMoveAnnounced(s.ctx, ticket.id);
  });
});

describe('a manual offer racing a correction', () => {
  it('is refused when the ticket was recategorised while it waited for the ticket, not offered under the old category', async () => {
    const crew = await s.crews.add('repair', north(100));
    const ticket = await fileTicket(s.d, { category: 'unclassified', ...SPOT });
    const editor = await s.ctx.db.connect();
    try {
      await editor.query('BEGIN');
      await editor.query('SELECT 1 FROM tickets WHERE id = $1 FOR UPDATE', [ticket.id]);
      const answer = onTicket(s.d, ticket.id, 'assign', { unitId: crew.unit.id });
      await untilWaitingOnARow(s.ctx, 'the request');
      await editor.query(`UPDATE tickets SET category = 'police' WHERE id = $1`, [ticket.id]);
      await editor.query('COMMIT');

      const refused = await answer;
      expect(refused.status).toBe(409);
      expect(refused.body.code).toBe('conflict');
      expect(await assignmentRows(s.ctx, ticket.id)).toEqual([]);
      expect(await unitStatus(s.ctx, crew.unit.id)).toBe('available');
    } finally {
      editor.release();
    }
  });
});
