import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, untilWaitingOnARow, type TestContext } from '../helper.js';
import { alertAt, alertRows, createTicket, openDesk, setPolicy, unitOnDuty, untilPast, type Desk, type Ticket } from './support.js';

// API only: no timer, routing job or reconciler runs; the test calls the sweep itself.
const SWEEP_GRACE_MS = 1500;
let ctx: TestContext;
let desk: Desk;
let crew: Awaited<ReturnType<typeof unitOnDuty>>;
let inFlight: Ticket;
const sessions: pg.Client[] = [];
beforeAll(async () => {
  ctx = await build({ roles: ['api'] });
  desk = await openDesk(ctx);
  await setPolicy(desk.call, desk.admin, 'water', 'P1', { assignSec: 1, arriveSec: 3600, resolveSec: 7200 });
  await setPolicy(desk.call, desk.admin, 'gas', 'P1', { assignSec: 1, arriveSec: 3600, resolveSec: 7200 });
  crew = await unitOnDuty(ctx, desk, 'gas');
  inFlight = await createTicket(desk.call, desk.operator, 'water', 'P1');
});
afterAll(async () => {
  for (const session of sessions) await session.end();
  crew?.device.close();
  desk?.board.close();
  await ctx?.close();
});

async function session(): Promise<pg.Client> {
  const client = new pg.Client({ connectionString: ctx.databaseUrl });
  await client.connect();
  sessions.push(client);
  return client;
}

/** Past a ticket's assign due time and the grace the sweep gives timers. */
const overdue = (ticket: Ticket) => new Date(Date.parse(ticket.sla.assignDueAt) + SWEEP_GRACE_MS + 100).toISOString();

/** The sweep, failing rather than waiting for ever on a lock. */
async function sweep(): Promise<number> {
  let timer: NodeJS.Timeout | undefined;
  const stuck = new Promise<never>((_, reject) => { timer = setTimeout(() => reject(new Error('the sweep waited on a lock')), 5000); });
  try {
    return await Promise.race([ctx.system.services.sla.sweep(), stuck]);
  } finally {
    clearTimeout(timer);
  }
}

describe('the SLA sweep and tickets others hold', () => {
  it('leaves a ticket to the operation in flight on it, which met the stage in time', async () => {
    // Stands in for an accept that began before the assign warning and is still running well
    // past the due time and the sweep's grace.
    const operation = await session();
    await operation.query('BEGIN');
    await operation.query('SELECT 1 FROM tickets WHERE id = $1 FOR NO KEY UPDATE', [inFlight.id]);
    await operation.query('UPDATE tickets SET accepted_at = now() WHERE id = $1', [inFlight.id]);
    await untilPast(ctx, [overdue(inFlight)]);
    await sweep();
    expect(await alertRows(ctx, inFlight.id)).toEqual([]);
    await operation.query('COMMIT');
    await sweep();
    expect(await alertRows(ctx, inFlight.id)).toEqual([]);
  });

  it('passes over a ticket a routing pass holds, without waiting on it, and records its alerts on the next pass', async () => {
    const queued = await createTicket(desk.call, desk.operator, 'gas', 'P1');
    // The pass locks the queued ticket, then waits for the unit another session holds.
    const unitHolder = await session();
    await unitHolder.query('BEGIN');
    await unitHolder.query('SELECT 1 FROM units WHERE id = $1 FOR UPDATE', [crew.unit.id]);
    const router = await session();
    const pass = router.query(`SELECT * FROM route_category('gas', 32, ARRAY[60, 120, 300])`);
    await untilWaitingOnARow(ctx, 'the routing pass');
    await untilPast(ctx, [overdue(queued)]);
    await sweep();
    expect(await alertRows(ctx, queued.id)).toEqual([]);
    await unitHolder.query('ROLLBACK');
    expect((await pass).rowCount).toBe(1);
    await sweep();
    expect(await alertRows(ctx, queued.id)).toEqual(['assign/breach', 'assign/warning']);
  });

  it('finds a breach come due on a ticket whose warning an operation already recorded', async () => {
    await setPolicy(desk.call, desk.admin, 'power', 'P1', { assignSec: 2, arriveSec: 3600, resolveSec: 7200 });
    const ticket = await createTicket(desk.call, desk.operator, 'power', 'P1');
    await untilPast(ctx, [new Date(alertAt(ticket, 'assign', 'warning')).toISOString()]);
    const edit = await desk.call('PATCH', `/v1/tickets/${ticket.id}`, { token: desk.operator, body: { description: 'no power on the whole street' } });
    expect(edit.status).toBe(200);
    expect(await alertRows(ctx, ticket.id)).toEqual(['assign/warning']);
    // The sweep's index now places the ticket at its breach, not at the warning already sent.
    const { rows } = await ctx.db.query<{ next: Date }>(
      `SELECT sla_next_alert_at(created_at, assign_due_at, accepted_at, arrive_due_at, on_scene_at, resolve_due_at,
                                resolved_at, sla_recorded) AS next FROM tickets WHERE id = $1`, [ticket.id]);
    expect(rows[0]!.next.toISOString()).toBe(ticket.sla.assignDueAt);
    await untilPast(ctx, [overdue(ticket)]);
    await sweep();
    expect(await alertRows(ctx, ticket.id)).toEqual(['assign/breach', 'assign/warning']);
  });
});
