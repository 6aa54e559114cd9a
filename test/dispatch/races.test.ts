import { describe, expect, it } from 'vitest';
import { fileTicket, offerData, offerOf, onTicket, dispatchSuite } from './support.js';

const s = dispatchSuite();

const liveRows = async (column: 'unit_id' | 'ticket_id', id: string) => (await s.ctx.db.query(
  `SELECT id FROM assignments WHERE ${column} = $1 AND status IN ('offered', 'accepted')`, [id])).rows;

// Each test uses a category of its own, so units from one test never compete in another.
describe('racing for one unit', () => {
  it('twenty tickets filed at once for one free unit: one is offered it, the rest wait', async () => {
    const only = await s.crews.add('gas', { lat: 34.75, lon: 113.62 });
    const tickets = await Promise.all(Array.from({ length: 20 }, () => fileTicket(s.d, { category: 'gas', priority: 'P1' })));

    const offer = offerData(await only.device.waitFor((e) => e.type === 'assignment.offered'));
    expect(tickets.map((t) => t.id)).toContain(offer.ticket.id);
    expect(await liveRows('unit_id', only.unit.id)).toHaveLength(1);
    const { rows } = await s.ctx.db.query(
      `SELECT status, count(*)::int AS n FROM tickets WHERE category = 'gas' GROUP BY status ORDER BY status`);
    expect(rows).toEqual([{ status: 'offered', n: 1 }, { status: 'queued', n: 19 }]);
  });

  it('two dispatchers assigning different tickets to one unit at once: one wins, the other gets 409', async () => {
    const only = await s.crews.add('repair', { lat: 34.75, lon: 113.62 });
    // Unclassified: routing leaves them alone, so only the dispatchers compete.
    const tickets = await Promise.all([1, 2].map(() => fileTicket(s.d, { category: 'unclassified' })));

    const answers = await Promise.all(tickets.map((t) => onTicket(s.d, t.id, 'assign', { unitId: only.unit.id })));

    expect(answers.map((answer) => answer.status).sort()).toEqual([200, 409]);
    expect(await liveRows('unit_id', only.unit.id)).toHaveLength(1);
  });
});

describe('the database itself', () => {
  it('refuses a second live assignment for a unit, and a second live offer for a ticket', async () => {
    const unit = await s.crews.add('water', { lat: 34.75, lon: 113.62 });
    const other = await s.crews.add('water', null, { available: false });
    const held = await fileTicket(s.d, { category: 'water' });
    await offerOf(unit, held.id);
    const spare = await fileTicket(s.d, { category: 'unclassified' });
    const insert = (ticketId: string, unitId: string) => s.ctx.db.query(
      `INSERT INTO assignments (ticket_id, unit_id, status, answer_due_at)
       VALUES ($1, $2, 'offered', now() + interval '1 minute')`,
      [ticketId, unitId]);

    await expect(insert(spare.id, unit.unit.id)).rejects.toMatchObject({ code: '23505' });
    await expect(insert(held.id, other.unit.id)).rejects.toMatchObject({ code: '23505' });
  });
});
