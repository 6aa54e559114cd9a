import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type TestContext } from '../helper.js';
import { GAS_SMELL, TICKET_NUMBER, countRows, dayIn, newCall } from './support.js';

async function createMany(ctx: TestContext, n: number) {
  const operator = await createUser(ctx, 'operator');
  const call = api(ctx);
  const answers = await Promise.all(Array.from({ length: n }, () =>
    call('POST', '/v1/tickets', { token: operator.token, body: newCall(GAS_SMELL) })));
  expect(answers.map((a) => a.status)).toEqual(Array(n).fill(201));
  return answers.map((a) => a.body as { number: string; createdAt: string });
}

describe('ticket numbers in the default city (Asia/Shanghai)', () => {
  let ctx: TestContext;
  beforeAll(async () => { ctx = await build(); });
  afterAll(async () => { await ctx?.close(); });

  it('50 concurrent calls get 50 distinct numbers, each prefixed with its Shanghai calendar day', async () => {
    // The database is fresh, so this burst also races to create the day's number sequence.
    const tickets = await createMany(ctx, 50);
    const numbers = tickets.map((t) => t.number);
    expect(new Set(numbers).size).toBe(50);
    for (const ticket of tickets) {
      expect(ticket.number).toMatch(TICKET_NUMBER);
      expect(ticket.number.slice(0, 8)).toBe(dayIn('Asia/Shanghai', ticket.createdAt));
    }
    const { rows } = await ctx.db.query<{ n: number }>('SELECT count(DISTINCT number)::int AS n FROM tickets');
    expect(rows[0]!.n).toBe(50);
    expect(await countRows(ctx, 'tickets')).toBe(50);
  });
});

/**
 * Whatever the hour this runs, one of these zones is on another calendar day than UTC: a number
 * taken from the UTC date instead of the city's would show.
 */
const farZone = new Date().getUTCHours() >= 10 ? 'Pacific/Kiritimati' : 'Pacific/Pago_Pago';

describe(`ticket numbers in a city on another day than UTC (${farZone})`, () => {
  let ctx: TestContext;
  beforeAll(async () => { ctx = await build({ env: { TICKET_TIMEZONE: farZone } }); });
  afterAll(async () => { await ctx?.close(); });

  it('the number carries the city calendar day, not the UTC one', async () => {
    const [ticket] = await createMany(ctx, 1);
    expect(ticket!.number.slice(0, 8)).toBe(dayIn(farZone, ticket!.createdAt));
    expect(ticket!.number.slice(0, 8)).not.toBe(ticket!.createdAt.slice(0, 10).replaceAll('-', ''));
  });
});
