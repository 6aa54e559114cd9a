import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, listen, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

describe('a call end to end', () => {
  it('a gas smell is routed to the free gas unit and resolved', async () => {
    const call = api(ctx);
    const admin = await createUser(ctx, 'admin');
    const operator = await createUser(ctx, 'operator');
    const unit = (await call('POST', '/v1/units', { token: admin.token, body: { callsign: 'GAS-1', type: 'gas', location: { lat: 34.75, lon: 113.62 } } })).body;
    const responder = await createUser(ctx, 'responder', unit.id);
    const device = await listen(ctx.system.url!, responder.token);
    expect((await call('PUT', `/v1/units/${unit.id}/status`, { token: responder.token, body: { status: 'available' } })).status).toBe(200);
    const created = await call('POST', '/v1/tickets', { token: operator.token, body: {
      caller: { phone: '13800000000' }, location: { lat: 34.751, lon: 113.621 }, description: '厨房里有很浓的煤气味',
    } });
    expect(created.status).toBe(201);
    expect(created.body).toMatchObject({ category: 'gas', priority: 'P1', status: 'queued' });
    const offered = await device.waitFor((e) => e.type === 'assignment.offered');
    const assignment = (offered.data as any).assignment;
    expect(assignment.unitId).toBe(unit.id);
    const accepted = await call('POST', `/v1/assignments/${assignment.id}/accept`, { token: responder.token });
    expect(accepted.status).toBe(200);
    expect(accepted.body.ticket.status).toBe('accepted');
    for (const status of ['en_route', 'on_scene', 'resolved']) {
      const step = await call('POST', `/v1/assignments/${assignment.id}/progress`, { token: responder.token, body: { status } });
      expect(step.status).toBe(200);
      expect(step.body.ticket.status).toBe(status);
    }
    const unitAfter = await call('GET', `/v1/units/${unit.id}`, { token: admin.token });
    expect(unitAfter.body.status).toBe('available');
    device.close();
  });
});
