import type { PoolClient } from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, untilWaitingOnARow, type TestContext } from '../helper.js';
import { alertAt, alertRows, alertsSeen, createTicket, openDesk, setPolicy, timerWaitsUntil, type Desk, type Ticket } from './support.js';

let ctx: TestContext;
let desk: Desk;
let ticket: Ticket;
let operation: PoolClient;
beforeAll(async () => {
  ctx = await build();
  desk = await openDesk(ctx);
  // No gas unit exists: the ticket stays queued and only its timer acts on it.
  await setPolicy(desk.call, desk.admin, 'gas', 'P1', { assignSec: 2, arriveSec: 3600, resolveSec: 7200 });
  ticket = await createTicket(desk.call, desk.operator, 'gas', 'P1');
  // Stands in for an accept that began well before the assign warning and commits after it: it
  // holds the ticket as every operation does and meets the stage at its transaction's start.
  operation = await ctx.db.connect();
  await operation.query('BEGIN');
  await operation.query('SELECT 1 FROM tickets WHERE id = $1 FOR NO KEY UPDATE', [ticket.id]);
  await operation.query('UPDATE tickets SET accepted_at = now() WHERE id = $1', [ticket.id]);
});
afterAll(async () => {
  await operation?.query('ROLLBACK').catch(() => {});
  operation?.release();
  desk?.board.close();
  await ctx?.close();
});


describe('a timer that fires while an operation on its ticket is in flight', () => {
  it('waits for it, and raises nothing for a stage that operation met in time', async () => {
    await untilWaitingOnARow(ctx, 'the timer');
    await operation.query('COMMIT');
    // The timer, done with the assign stage, waits for the arrive warning next.
    await timerWaitsUntil(ctx, ticket.id, alertAt(ticket, 'arrive', 'warning'));
    expect(await alertRows(ctx, ticket.id)).toEqual([]);
    expect(alertsSeen(desk.board, ticket.id)).toEqual([]);
  });
});
