import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { USER_ROLES, type UserRole } from '../../src/auth/roles.js';
import { api, build, createUser, type TestContext } from '../helper.js';

let ctx: TestContext;
const tokens = {} as Record<UserRole, string>;
let unitId: string;

beforeAll(async () => {
  ctx = await build();
  const admin = await createUser(ctx, 'admin');
  unitId = (await api(ctx)('POST', '/v1/units', { token: admin.token, body: { callsign: 'ROLE-UNIT', type: 'water' } })).body.id;
  for (const role of USER_ROLES) tokens[role] = (await createUser(ctx, role, role === 'responder' ? unitId : null)).token;
});
afterAll(async () => { await ctx?.close(); });

const STAFF: UserRole[] = ['admin', 'operator', 'dispatcher', 'supervisor'];
const NO_SUCH = '00000000-0000-4000-8000-000000000000';

interface Case {
  route: string;
  allowed: UserRole[];
  /** What an allowed role gets: unknown ids give 404, which still proves the guard let it through. */
  ok: number;
  body?: () => object;
}

// CONTRACT §5, one row per route. {unit} is a real unit the responder belongs to.
const CASES: Case[] = [
  { route: 'POST /v1/users', allowed: ['admin'], ok: 201, body: () => ({ username: 'made-by-table', password: 'long-enough', role: 'operator' }) },
  { route: 'POST /v1/units', allowed: ['admin'], ok: 201, body: () => ({ callsign: 'TABLE-1', type: 'gas' }) },
  { route: 'GET /v1/units', allowed: STAFF, ok: 200 },
  { route: 'GET /v1/units/{unit}', allowed: STAFF, ok: 200 },
  { route: 'PUT /v1/units/{unit}/status', allowed: ['admin', 'dispatcher', 'responder'], ok: 200, body: () => ({ status: 'off_duty' }) },
  { route: 'PUT /v1/units/{unit}/location', allowed: ['admin', 'responder'], ok: 200, body: () => ({ lat: 34.7, lon: 113.6 }) },
  { route: 'POST /v1/classify', allowed: STAFF, ok: 200, body: () => ({ text: 'no water in the building' }) },
  {
    route: 'POST /v1/tickets', allowed: ['operator', 'dispatcher'], ok: 201,
    body: () => ({ caller: { phone: '13800000000' }, location: { lat: 34.7, lon: 113.6 }, description: 'no water in the building' }),
  },
  { route: 'GET /v1/tickets', allowed: STAFF, ok: 200 },
  { route: `GET /v1/tickets/${NO_SUCH}`, allowed: [...STAFF, 'responder'], ok: 404 },
  { route: `PATCH /v1/tickets/${NO_SUCH}`, allowed: ['operator', 'dispatcher'], ok: 404, body: () => ({ priority: 'P2' }) },
  { route: `POST /v1/tickets/${NO_SUCH}/cancel`, allowed: ['dispatcher'], ok: 404, body: () => ({ reason: 'prank call' }) },
  { route: `POST /v1/tickets/${NO_SUCH}/merge`, allowed: ['dispatcher'], ok: 404, body: () => ({ into: NO_SUCH.replace(/0$/, '1') }) },
  { route: `POST /v1/tickets/${NO_SUCH}/assign`, allowed: ['dispatcher'], ok: 404, body: () => ({ unitId }) },
  { route: `POST /v1/tickets/${NO_SUCH}/close`, allowed: ['operator', 'dispatcher'], ok: 404, body: () => ({ satisfaction: 5 }) },
  { route: `POST /v1/assignments/${NO_SUCH}/accept`, allowed: ['responder'], ok: 404 },
  { route: `POST /v1/assignments/${NO_SUCH}/decline`, allowed: ['responder'], ok: 404, body: () => ({ reason: 'too far' }) },
  { route: `POST /v1/assignments/${NO_SUCH}/progress`, allowed: ['responder'], ok: 404, body: () => ({ status: 'en_route' }) },
  { route: 'GET /v1/sla/policies', allowed: STAFF, ok: 200 },
  {
    route: 'PUT /v1/sla/policies/water/P3', allowed: ['admin'], ok: 200,
    body: () => ({ assignSec: 1800, arriveSec: 86400, resolveSec: 259200 }),
  },
  { route: 'GET /v1/sla/breaches', allowed: ['supervisor', 'dispatcher'], ok: 200 },
  { route: 'GET /v1/stats', allowed: ['supervisor'], ok: 200 },
];

function request(c: Case, token?: string, body = c.body?.()) {
  const [method, path] = c.route.split(' ') as [string, string];
  return api(ctx)(method, path.replace('{unit}', unitId), { token, body });
}

describe.each(CASES)('$route', (c) => {
  it(`admits ${c.allowed.join(', ')} and refuses every other role with 403`, async () => {
    for (const role of USER_ROLES) {
      const response = await request(c, tokens[role]);
      if (c.allowed.includes(role)) {
        expect({ role, status: response.status }).toEqual({ role, status: c.ok });
      } else {
        expect({ role, status: response.status, code: response.body.code }).toEqual({ role, status: 403, code: 'forbidden' });
      }
    }
  });

  it('refuses a request without a token with 401, before looking at its body', async () => {
    const response = await request(c);
    expect(response.status).toBe(401);
    expect(response.body.code).toBe('unauthorized');
    if (c.route.startsWith('GET')) return;
    // An anonymous caller must not learn the schema from a 400 listing what is wrong.
    const invalid = await request(c, undefined, { bogus: true });
    expect(invalid.status).toBe(401);
  });
});
