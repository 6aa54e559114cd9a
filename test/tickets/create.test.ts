import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, type Api, type TestContext } from '../helper.js';
import { GAS_SMELL, ISO_UTC, TICKET_NUMBER, UUID, countRows, newCall, secondsBetween, spot, type User } from './support.js';

let ctx: TestContext;
let call: Api;
let operator: User;

beforeAll(async () => {
  ctx = await build();
  call = api(ctx);
  operator = await createUser(ctx, 'operator');
});
afterAll(async () => { await ctx?.close(); });

describe('who may create a ticket', () => {
  it('operators and dispatchers create tickets', async () => {
    const dispatcher = await createUser(ctx, 'dispatcher');
    for (const user of [operator, dispatcher]) {
      const created = await call('POST', '/v1/tickets', { token: user.token, body: newCall(GAS_SMELL) });
      expect(created.status).toBe(201);
    }
  });

  it('supervisors, responders and admins are refused with 403 and nothing is created', async () => {
    const admin = await createUser(ctx, 'admin');
    const unit = await call('POST', '/v1/units', { token: admin.token, body: { callsign: 'GAS-ROLES', type: 'gas' } });
    const refused = [await createUser(ctx, 'supervisor'), await createUser(ctx, 'responder', unit.body.id), admin];
    const before = await countRows(ctx, 'tickets');
    for (const user of refused) {
      const answer = await call('POST', '/v1/tickets', { token: user.token, body: newCall(GAS_SMELL) });
      expect(answer.status, user.role).toBe(403);
      expect(answer.body.code).toBe('forbidden');
    }
    expect(await countRows(ctx, 'tickets')).toBe(before);
  });

  it('a call without a token is refused with 401', async () => {
    const answer = await call('POST', '/v1/tickets', { body: newCall(GAS_SMELL) });
    expect(answer.status).toBe(401);
    expect(answer.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });
});

describe('the created ticket', () => {
  it('answers 201 with every field of the contract', async () => {
    const location = { address: '12 Jinshui Road, flat 3', ...spot() };
    const sent = Date.now();
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: {
      caller: { phone: '+86 138-0000-0001', name: 'Li Wei' }, location, description: GAS_SMELL,
    } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      id: expect.stringMatching(UUID),
      number: expect.stringMatching(TICKET_NUMBER),
      status: 'queued',
      category: 'gas',
      domain: 'utility',
      priority: 'P1',
      classification: { category: 'gas', priority: 'P1', confidence: expect.any(Number), matched: expect.any(Array), source: 'auto' },
      caller: { phone: '+86 138-0000-0001', name: 'Li Wei' },
      location,
      description: GAS_SMELL,
      createdAt: expect.stringMatching(ISO_UTC),
      updatedAt: expect.stringMatching(ISO_UTC),
      sla: {
        assignDueAt: expect.stringMatching(ISO_UTC), arriveDueAt: expect.stringMatching(ISO_UTC),
        resolveDueAt: expect.stringMatching(ISO_UTC), breaches: [],
      },
      possibleDuplicates: [],
      assignments: [],
    });
    const { classification, createdAt } = created.body;
    expect(classification.confidence).toBeGreaterThan(0);
    expect(classification.confidence).toBeLessThanOrEqual(1);
    expect(classification.matched.length).toBeGreaterThan(0);
    expect(classification.matched.every((cue: unknown) => typeof cue === 'string')).toBe(true);
    // The server's clock and ours share the machine: creation falls within the request.
    expect(Date.parse(createdAt)).toBeGreaterThanOrEqual(sent);
    expect(Date.parse(createdAt)).toBeLessThanOrEqual(Date.now());
  });

  it('a caller without a name and a location without an address come back without them', async () => {
    const body = newCall(GAS_SMELL);
    const created = await call('POST', '/v1/tickets', { token: operator.token, body });
    expect(created.status).toBe(201);
    expect(created.body.caller).toEqual({ phone: '13800000000' });
    expect(created.body.location).toEqual(body.location);
  });

  it.each([
    { what: 'a gas smell (auto, gas P1)', extra: {}, description: GAS_SMELL, category: 'gas', priority: 'P1', secs: [120, 1800, 14400] },
    { what: 'water P2', extra: { category: 'water', priority: 'P2' }, description: 'no water', category: 'water', priority: 'P2', secs: [600, 7200, 86400] },
    { what: 'repair P3', extra: { category: 'repair', priority: 'P3' }, description: 'door', category: 'repair', priority: 'P3', secs: [1800, 86400, 259200] },
    { what: 'police P1', extra: { category: 'police', priority: 'P1' }, description: 'fight', category: 'police', priority: 'P1', secs: [60, 300, 7200] },
    { what: 'police P2', extra: { category: 'police', priority: 'P2' }, description: 'theft', category: 'police', priority: 'P2', secs: [180, 900, 86400] },
    { what: 'unclassified P1 (police P1 policy)', extra: { category: 'unclassified', priority: 'P1' }, description: 'help', category: 'unclassified', priority: 'P1', secs: [60, 300, 7200] },
    { what: 'unclassified P3 (police P3 policy)', extra: { category: 'unclassified', priority: 'P3' }, description: 'hm', category: 'unclassified', priority: 'P3', secs: [600, 3600, 259200] },
  ])('due times are createdAt plus the default policy: $what', async ({ extra, description, category, priority, secs }) => {
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall(description, extra) });
    expect(created.status).toBe(201);
    const { createdAt, sla } = created.body;
    expect(created.body).toMatchObject({ category, priority });
    expect([sla.assignDueAt, sla.arriveDueAt, sla.resolveDueAt].map((due: string) => secondsBetween(createdAt, due))).toEqual(secs);
  });

  it('a call the classifier cannot place is unclassified, domain unknown, on the police policy of its priority', async () => {
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall('please call me back about my account') });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ category: 'unclassified', domain: 'unknown', classification: { source: 'auto' } });
    const police = { P1: 60, P2: 180, P3: 600 } as Record<string, number>;
    expect(secondsBetween(created.body.createdAt, created.body.sla.assignDueAt)).toBe(police[created.body.priority]);
  });
});

describe('operator overrides', () => {
  async function corrections(ticketId: string) {
    const { rows } = await ctx.db.query(
      `SELECT text, category, priority, auto_category, auto_priority, created_by FROM classification_corrections
       WHERE ticket_id = $1`, [ticketId]);
    return rows;
  }

  it('an operator category and priority override the classifier and the disagreement is recorded', async () => {
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall(GAS_SMELL, { category: 'power', priority: 'P3' }) });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({
      category: 'power', domain: 'utility', priority: 'P3',
      classification: { category: 'power', priority: 'P3', source: 'operator' },
    });
    expect(secondsBetween(created.body.createdAt, created.body.sla.assignDueAt)).toBe(1800);
    expect(await corrections(created.body.id)).toEqual([{
      text: GAS_SMELL, category: 'power', priority: 'P3', auto_category: 'gas', auto_priority: 'P1', created_by: operator.id,
    }]);
  });

  it('an operator category alone keeps the classifier priority, and is recorded', async () => {
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall(GAS_SMELL, { category: 'police' }) });
    expect(created.body).toMatchObject({ category: 'police', priority: 'P1', classification: { source: 'operator' } });
    expect(await corrections(created.body.id)).toMatchObject([{ category: 'police', priority: 'P1', auto_category: 'gas' }]);
  });

  it('an operator priority alone is an override too, and is recorded', async () => {
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall(GAS_SMELL, { priority: 'P2' }) });
    expect(created.body).toMatchObject({ category: 'gas', priority: 'P2', classification: { source: 'operator', priority: 'P2' } });
    expect(await corrections(created.body.id)).toMatchObject([{ category: 'gas', priority: 'P2', auto_priority: 'P1' }]);
  });

  it('an operator choice that agrees with the classifier is marked operator but records no correction', async () => {
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall(GAS_SMELL, { category: 'gas', priority: 'P1' }) });
    expect(created.body).toMatchObject({ category: 'gas', priority: 'P1', classification: { source: 'operator' } });
    expect(await corrections(created.body.id)).toEqual([]);
  });

  it('an automatic classification records no correction', async () => {
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall(GAS_SMELL) });
    expect(created.body.classification.source).toBe('auto');
    expect(await corrections(created.body.id)).toEqual([]);
  });
});

describe('commit before answer', () => {
  it('when the 201 arrives the ticket, its created audit entry and its ticket.created event are committed together', async () => {
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: newCall(GAS_SMELL) });
    expect(created.status).toBe(201);
    const id = created.body.id;
    // xmin is the id of the transaction that wrote a row: equal xmins mean one transaction.
    const ticket = await ctx.db.query(
      `SELECT xmin::text AS tx, number, iso(created_at) AS "createdAt", created_by AS "createdBy" FROM tickets WHERE id = $1`, [id]);
    expect(ticket.rows).toEqual([{ tx: expect.any(String), number: created.body.number, createdAt: created.body.createdAt, createdBy: operator.id }]);
    const audit = await ctx.db.query(
      `SELECT xmin::text AS tx, actor_id AS "actorId", actor_role AS "actorRole", action, iso(at) AS at
       FROM ticket_events WHERE ticket_id = $1`, [id]);
    expect(audit.rows).toEqual([{
      tx: ticket.rows[0].tx, actorId: operator.id, actorRole: 'operator', action: 'created', at: created.body.createdAt,
    }]);
    const events = await ctx.db.query(
      `SELECT xmin::text AS tx, rooms, data->>'number' AS number FROM events WHERE type = 'ticket.created' AND data->>'id' = $1`, [id]);
    expect(events.rows).toEqual([{ tx: ticket.rows[0].tx, rooms: ['dispatch'], number: created.body.number }]);
  });
});
