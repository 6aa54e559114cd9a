import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type Api, type TestContext } from '../helper.js';
import { GAS_SMELL, ISO_UTC, metresBetween, moved, spot, type User } from './support.js';

let ctx: TestContext;
let call: Api;
let operator: User;
let dispatcher: User;

beforeAll(async () => {
  ctx = await build();
  call = api(ctx);
  operator = await createUser(ctx, 'operator');
  dispatcher = await createUser(ctx, 'dispatcher');
});
afterAll(async () => { await ctx?.close(); });

type Point = { lat: number; lon: number };

async function report(at: Point, category = 'gas') {
  const created = await call('POST', '/v1/tickets', {
    token: operator.token, body: { caller: { phone: '13800000000' }, location: at, description: GAS_SMELL, category },
  });
  expect(created.status).toBe(201);
  return created.body;
}

const duplicateIds = (ticket: { possibleDuplicates: Array<{ id: string }> }) => ticket.possibleDuplicates.map((d) => d.id);

describe('possible duplicates', () => {
  it('a second call of the same category 100 m away lists the first with its distance', async () => {
    const here = spot();
    const first = await report(here);
    const nearby = moved(here, 100, 0);
    const second = await report(nearby);
    expect(second.possibleDuplicates).toEqual([{
      id: first.id, number: first.number, distanceM: expect.any(Number), createdAt: first.createdAt,
    }]);
    expect(second.possibleDuplicates[0].distanceM).toBeCloseTo(metresBetween(here, nearby), 0);
    expect(second.possibleDuplicates[0].createdAt).toMatch(ISO_UTC);
    const firstAgain = await call('GET', `/v1/tickets/${first.id}`, { token: operator.token });
    expect(duplicateIds(firstAgain.body)).toEqual([second.id]);
  });

  it('300 m is the limit, north-south and east-west alike', async () => {
    const here = spot();
    const first = await report(here);
    expect(duplicateIds(await report(moved(here, 290, 0)))).toEqual([first.id]);
    expect(duplicateIds(await report(moved(here, 0, 295)))).toEqual([first.id]);
    expect(duplicateIds(await report(moved(here, -310, 0)))).toEqual([]);
    expect(duplicateIds(await report(moved(here, 0, -310)))).toEqual([]);
  });

  it('a call 1 km away is not listed', async () => {
    const here = spot();
    await report(here);
    expect((await report(moved(here, 0, 1000))).possibleDuplicates).toEqual([]);
  });

  it('a call of another category at the same spot is not listed', async () => {
    const here = spot();
    await report(here, 'gas');
    expect((await report(here, 'water')).possibleDuplicates).toEqual([]);
  });

  it('a cancelled ticket at the same spot is not listed', async () => {
    const here = spot();
    const first = await report(here);
    const cancelled = await call('POST', `/v1/tickets/${first.id}/cancel`, { token: dispatcher.token, body: { reason: 'caller rang back: false alarm' } });
    expect(cancelled.status).toBe(200);
    expect((await report(here)).possibleDuplicates).toEqual([]);
  });

  it('a call from 59 minutes ago is listed, one from 61 minutes ago is not', async () => {
    const here = spot();
    const recent = await report(here);
    const old = await report(moved(here, 10, 0));
    // No clock to move: age the rows instead.
    await ctx.db.query(`UPDATE tickets SET created_at = now() - interval '59 minutes' WHERE id = $1`, [recent.id]);
    await ctx.db.query(`UPDATE tickets SET created_at = now() - interval '61 minutes' WHERE id = $1`, [old.id]);
    expect(duplicateIds(await report(here))).toEqual([recent.id]);
  });

  it('several candidates come nearest first', async () => {
    const here = spot();
    const far = await report(moved(here, 200, 0));
    const near = await report(moved(here, -50, 0));
    expect(duplicateIds(await report(here))).toEqual([near.id, far.id]);
  });
});
