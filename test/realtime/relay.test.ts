import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { AuthUser } from '../../src/auth/roles.js';
import { api, build, createUser, listen, spawnProcess, type Api, type Child, type Listener, type TestContext } from '../helper.js';
import { apiAt, contractRooms, expectStream, fileTicket, watermark } from './support.js';

type User = AuthUser & { token: string };

// No worker runs until the second test: the API processes get nothing from a relay before then.
let ctx: TestContext;
let local: Api;
let apiProcess: Child;
const children: Child[] = [];
const listeners: Listener[] = [];
let operator: User;
let dispatcher: User;
let supervisor: User;
/** The client of the first test, still connected for the later ones. */
let reconnected: { listener: Listener; lastSeq: number };

const DISPATCH = contractRooms('dispatcher');

async function connect(url: string, user: User, lastSeq?: number): Promise<Listener> {
  const listener = await listen(url, user.token, lastSeq);
  listeners.push(listener);
  return listener;
}

async function createdSeq(ticketId: string): Promise<number> {
  const { rows } = await ctx.db.query<{ seq: number }>(
    "SELECT seq FROM events WHERE type = 'ticket.created' AND data->>'id' = $1", [ticketId]);
  return Number(rows[0]!.seq);
}

beforeAll(async () => {
  ctx = await build({ roles: ['api'] });
  local = api(ctx);
  apiProcess = await spawnProcess(ctx, ['api']);
  children.push(apiProcess);
  operator = await createUser(ctx, 'operator');
  dispatcher = await createUser(ctx, 'dispatcher');
  supervisor = await createUser(ctx, 'supervisor');
});

afterAll(async () => {
  for (const listener of listeners) listener.close();
  await Promise.all(children.map((child) => child.stop()));
  await ctx?.close();
});

describe('the relay and the API processes recover what they missed', () => {
  it('gives a client whose lastSeq is ahead of its process every later event once', async () => {
    // The client saw these on a process further ahead; this process has heard of none of them.
    const tickets = [];
    for (let i = 0; i < 6; i++) tickets.push(await fileTicket(local, operator.token, { category: 'gas' }));
    const lastSeq = await createdSeq(tickets[2]!.id);

    const listener = await connect(apiProcess.url!, dispatcher, lastSeq);
    const events = await expectStream(ctx, listener, DISPATCH, lastSeq, await watermark(ctx), 'replay');
    expect(events.filter((event) => event.type === 'ticket.created')).toHaveLength(3);
    reconnected = { listener, lastSeq };
  });

  it('delivers events committed while no relay ran once a worker starts', async () => {
    const desk = await connect(apiProcess.url!, dispatcher);
    const board = await connect(ctx.system.url!, supervisor);
    const start = await watermark(ctx);
    const ticket = await fileTicket(local, operator.token, { category: 'gas' });

    children.push(await spawnProcess(ctx, ['worker']));
    const end = await watermark(ctx);
    expect(end).toBeGreaterThanOrEqual(await createdSeq(ticket.id));
    await expectStream(ctx, desk, DISPATCH, start, end, 'live');
    await expectStream(ctx, board, contractRooms('supervisor'), start, end, 'live');
    // The relay's first batches repeat nothing the reconnected client already had.
    await expectStream(ctx, reconnected.listener, DISPATCH, reconnected.lastSeq, end, 'replay');
  });

  it('carries on from where a dead relay leader stopped, with no gap and no duplicate', async () => {
    const leader = children[children.length - 1]!;
    children.push(await spawnProcess(ctx, ['worker']));
    const desk = await connect(apiProcess.url!, dispatcher);
    const board = await connect(ctx.system.url!, supervisor);
    const start = await watermark(ctx);

    await Promise.all([local, apiAt(apiProcess.url!)].map(async (call, writer) => {
      for (let i = 0; i < 10; i++) {
        await fileTicket(call, operator.token, { category: i % 2 ? 'gas' : 'heating' });
        if (writer === 0 && i === 3) await leader.stop('SIGKILL');
      }
    }));
    const end = await watermark(ctx);

    await expectStream(ctx, desk, DISPATCH, start, end, 'live');
    await expectStream(ctx, board, contractRooms('supervisor'), start, end, 'live');
    await expectStream(ctx, reconnected.listener, DISPATCH, reconnected.lastSeq, end, 'replay');
  });
});
