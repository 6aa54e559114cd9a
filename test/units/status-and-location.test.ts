import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
let admin: string;
let dispatcher: string;
let callsigns = 0;
beforeAll(async () => {
  ctx = await build();
  admin = (await createUser(ctx, 'admin')).token;
  dispatcher = (await createUser(ctx, 'dispatcher')).token;
});
afterAll(async () => { await ctx?.close(); });

const UNKNOWN = '00000000-0000-4000-8000-000000000000';

/** A fresh unit and a responder who belongs to it. */
async function crew() {
  const unit = (await api(ctx)('POST', '/v1/units', { token: admin, body: { callsign: `PWR-${++callsigns}`, type: 'power' } })).body;
  const responder = await createUser(ctx, 'responder', unit.id);
  return { unitId: unit.id as string, responder: responder.token };
}

const setStatus = (unitId: string, status: string, token: string) =>
  api(ctx)('PUT', `/v1/units/${unitId}/status`, { token, body: { status } });
const setLocation = (unitId: string, location: object, token: string) =>
  api(ctx)('PUT', `/v1/units/${unitId}/location`, { token, body: location });
const rowOf = async (unitId: string) =>
  (await ctx.db.query('SELECT status, lat, lon FROM units WHERE id = $1', [unitId])).rows[0];

describe('PUT /v1/units/:id/status', () => {
  it('lets admin, dispatcher and the unit\'s own responder set it', async () => {
    const { unitId, responder } = await crew();
    const byResponder = await setStatus(unitId, 'available', responder);
    expect(byResponder.status).toBe(200);
    expect(byResponder.body).toMatchObject({ id: unitId, status: 'available' });
    expect((await setStatus(unitId, 'off_duty', dispatcher)).body.status).toBe('off_duty');
    expect((await setStatus(unitId, 'available', admin)).body.status).toBe('available');
    expect(await rowOf(unitId)).toMatchObject({ status: 'available' });
  });

  it('refuses another unit\'s responder with 403 and leaves the unit as it was', async () => {
    const mine = await crew();
    const theirs = await crew();
    const response = await setStatus(theirs.unitId, 'available', mine.responder);
    expect(response.status).toBe(403);
    expect(response.body.code).toBe('forbidden');
    expect(await rowOf(theirs.unitId)).toMatchObject({ status: 'off_duty' });
  });

  it('refuses busy, which only dispatch may set, with 400', async () => {
    const { unitId } = await crew();
    const response = await setStatus(unitId, 'busy', admin);
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('body/status');
  });

  it('answers 404 for an unknown unit', async () => {
    const response = await setStatus(UNKNOWN, 'available', admin);
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('not_found');
  });
});

describe('PUT /v1/units/:id/location', () => {
  it('lets the unit\'s own responder and admin report it', async () => {
    const { unitId, responder } = await crew();
    const byResponder = await setLocation(unitId, { lat: 34.7, lon: 113.6 }, responder);
    expect(byResponder.status).toBe(200);
    expect(byResponder.body.location).toEqual({ lat: 34.7, lon: 113.6 });
    expect((await setLocation(unitId, { lat: 34.8, lon: 113.7 }, admin)).body.location).toEqual({ lat: 34.8, lon: 113.7 });
    expect(await rowOf(unitId)).toMatchObject({ lat: 34.8, lon: 113.7 });
  });

  it('refuses a dispatcher and another unit\'s responder with 403, leaving the location unset', async () => {
    const mine = await crew();
    const theirs = await crew();
    expect((await setLocation(theirs.unitId, { lat: 1, lon: 1 }, dispatcher)).status).toBe(403);
    expect((await setLocation(theirs.unitId, { lat: 1, lon: 1 }, mine.responder)).status).toBe(403);
    expect(await rowOf(theirs.unitId)).toMatchObject({ lat: null, lon: null });
  });

  it('refuses coordinates off the globe with 400 naming the field', async () => {
    const { unitId, responder } = await crew();
    const response = await setLocation(unitId, { lat: 91, lon: 113.6 }, responder);
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toEqual(['body/lat']);
  });

  it('answers 404 for an unknown unit', async () => {
    expect((await setLocation(UNKNOWN, { lat: 1, lon: 1 }, admin)).status).toBe(404);
  });
});
