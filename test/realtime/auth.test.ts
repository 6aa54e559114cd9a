import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser } from '../../src/auth/roles.js';
import { api, build, createUser, JWT_SECRET, listen, type Listener, type TestContext } from '../helper.js';
import { addUnit, assignmentOf, fileTicket, setStatus } from './support.js';

let ctx: TestContext;
let responder: AuthUser & { token: string };
const listeners: Listener[] = [];

beforeAll(async () => {
  ctx = await build();
  const admin = await createUser(ctx, 'admin');
  const unit = await addUnit(api(ctx), admin.token, 'AUTH-1', 'water');
  responder = await createUser(ctx, 'responder', unit.id);
});

afterAll(async () => {
  for (const listener of listeners) listener.close();
  await ctx?.close();
});

const base64url = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

function claims(user: AuthUser, extra: Record<string, number> = {}) {
  const now = Math.floor(Date.now() / 1000);
  return { sub: user.id, username: user.username, role: user.role, unitId: user.unitId, iat: now, exp: now + 3600, ...extra };
}

/** A well-formed HS256 token, signed with whatever secret the caller picks. */
function hs256(payload: object, secret: string): string {
  const unsigned = `${base64url({ alg: 'HS256', typ: 'JWT' })}.${base64url(payload)}`;
  return `${unsigned}.${createHmac('sha256', secret).update(unsigned).digest('base64url')}`;
}

async function refusal(token: string | undefined): Promise<string> {
  return listen(ctx.system.url!, token).then(
    (listener) => { listener.close(); return 'connected'; },
    (error: Error) => error.message);
}

describe('socket authentication', () => {
  it('admits a token signed with the service\'s secret', async () => {
    expect(await refusal(hs256(claims(responder), JWT_SECRET))).toBe('connected');
  });

  it.each([
    ['no token', () => undefined],
    ['a garbage token', () => 'not-a-jwt'],
    ['a token signed with another secret', () => hs256(claims(responder), `${JWT_SECRET}-other`)],
    ['an unsigned token', () => `${base64url({ alg: 'none', typ: 'JWT' })}.${base64url(claims(responder))}.`],
    ['an expired token', () => hs256(claims(responder, { iat: Math.floor(Date.now() / 1000) - 120, exp: Math.floor(Date.now() / 1000) - 60 }), JWT_SECRET)],
  ])('refuses %s with connect_error "unauthorized"', async (_name, token) => {
    expect(await refusal(token())).toBe('unauthorized');
  });

  it('disconnects a socket when its token expires', async () => {
    const app = ctx.system.running.app!;
    const token = app.jwt.sign({ sub: responder.id, username: responder.username, role: responder.role, unitId: responder.unitId }, { expiresIn: 3 });
    const listener = await listen(ctx.system.url!, token);
    listeners.push(listener);
    const reason = await new Promise<string>((resolve) => listener.socket.once('disconnect', resolve));
    expect(reason).toBe('io server disconnect');
    // And it cannot come back with the same token.
    expect(await refusal(token)).toBe('unauthorized');
  });

  it('keeps a socket in its role\'s rooms whatever the client asks for', async () => {
    const device = await listen(ctx.system.url!, responder.token);
    listeners.push(device);
    for (const name of ['join', 'subscribe', 'rooms']) device.socket.emit(name, 'dispatch');
    device.socket.emit('join', ['dispatch', 'supervisors']);

    const operator = await createUser(ctx, 'operator');
    const other = await fileTicket(api(ctx), operator.token, { category: 'gas' });
    await setStatus(api(ctx), responder.token, responder.unitId!, 'available');
    const mine = await fileTicket(api(ctx), operator.token, { category: 'water' });
    // Events reach a socket in seq order: once its own offer is in, any dispatch event before it would be too.
    await device.waitFor((e) => e.type === 'assignment.offered' && assignmentOf(e).ticket.id === mine.id);
    expect(device.events.every((e) => e.type.startsWith('assignment.') && assignmentOf(e).assignment.unitId === responder.unitId)).toBe(true);
    expect(device.events.some((e) => JSON.stringify(e.data).includes(other.id))).toBe(false);
  });
});
