import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
let admin: string;
beforeAll(async () => {
  ctx = await build();
  admin = (await createUser(ctx, 'admin')).token;
});
afterAll(async () => { await ctx?.close(); });

const register = (body: object, token = admin) => api(ctx)('POST', '/v1/units', { token, body });

describe('POST /v1/units', () => {
  it('registers a unit off duty, with its location', async () => {
    const response = await register({ callsign: 'POL-7', type: 'police', location: { lat: 34.75, lon: 113.62 } });
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      id: expect.any(String), callsign: 'POL-7', type: 'police', status: 'off_duty', location: { lat: 34.75, lon: 113.62 },
    });
    expect((await api(ctx)('GET', `/v1/units/${response.body.id}`, { token: admin })).body).toEqual(response.body);
  });

  it('registers a unit without a location as location null', async () => {
    const response = await register({ callsign: 'WAT-1', type: 'water' });
    expect(response.status).toBe(201);
    expect(response.body.location).toBeNull();
  });

  it('refuses a taken callsign with 409 and keeps the first unit', async () => {
    expect((await register({ callsign: 'DUP-1', type: 'gas' })).status).toBe(201);
    const again = await register({ callsign: 'DUP-1', type: 'power' });
    expect(again.status).toBe(409);
    expect(again.body.code).toBe('conflict');
    const { rows } = await ctx.db.query('SELECT type FROM units WHERE callsign = $1', ['DUP-1']);
    expect(rows).toEqual([{ type: 'gas' }]);
  });

  it('refuses a unit of type unclassified with 400', async () => {
    const response = await register({ callsign: 'ODD-1', type: 'unclassified' });
    expect(response.status).toBe(400);
    expect(response.body.errors.map((e: { path: string }) => e.path)).toContain('body/type');
  });
});

describe('GET /v1/units', () => {
  it('pages through units by callsign with limit and cursor', async () => {
    const callsigns = ['HEAT-5', 'HEAT-1', 'HEAT-4', 'HEAT-2', 'HEAT-3'];
    for (const callsign of callsigns) await register({ callsign, type: 'heating' });
    const seen: string[][] = [];
    let cursor: string | null = null;
    do {
      const query: string = `/v1/units?type=heating&limit=2${cursor ? `&cursor=${cursor}` : ''}`;
      const page = await api(ctx)('GET', query, { token: admin });
      expect(page.status).toBe(200);
      seen.push(page.body.items.map((unit: { callsign: string }) => unit.callsign));
      cursor = page.body.nextCursor;
    } while (cursor);
    expect(seen).toEqual([['HEAT-1', 'HEAT-2'], ['HEAT-3', 'HEAT-4'], ['HEAT-5']]);
  });

  it('filters by status', async () => {
    const unit = (await register({ callsign: 'REP-1', type: 'repair' })).body;
    await api(ctx)('PUT', `/v1/units/${unit.id}/status`, { token: admin, body: { status: 'available' } });
    const available = await api(ctx)('GET', '/v1/units?type=repair&status=available', { token: admin });
    const offDuty = await api(ctx)('GET', '/v1/units?type=repair&status=off_duty', { token: admin });
    expect(available.body.items.map((u: { id: string }) => u.id)).toEqual([unit.id]);
    expect(offDuty.body.items).toEqual([]);
  });

  it.each(['0', '201', 'many'])('refuses limit=%s with 400', async (limit) => {
    const response = await api(ctx)('GET', `/v1/units?limit=${limit}`, { token: admin });
    expect(response.status).toBe(400);
    expect(response.body.errors[0].path).toBe('querystring/limit');
  });

  it('is refused to responders, as is reading one unit', async () => {
    const unit = (await register({ callsign: 'POL-9', type: 'police' })).body;
    const responder = await createUser(ctx, 'responder', unit.id);
    expect((await api(ctx)('GET', '/v1/units', { token: responder.token })).status).toBe(403);
    expect((await api(ctx)('GET', `/v1/units/${unit.id}`, { token: responder.token })).status).toBe(403);
  });

  it('answers 404 not_found for an unknown unit id', async () => {
    const response = await api(ctx)('GET', '/v1/units/00000000-0000-4000-8000-000000000000', { token: admin });
    expect(response.status).toBe(404);
    expect(response.body.code).toBe('not_found');
  });
});
