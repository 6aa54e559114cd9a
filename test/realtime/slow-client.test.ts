import type { Socket as ServerSocket } from 'socket.io';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { api, build, createUser, listen, type Listener, type TestContext } from '../helper.js';
import { fileTicket } from './support.js';

let ctx: TestContext;
let dispatcher: Awaited<ReturnType<typeof createUser>>;
let healthy: Listener;

beforeAll(async () => {
  ctx = await build();
  dispatcher = await createUser(ctx, 'dispatcher');
  healthy = await listen(ctx.system.url!, dispatcher.token);
});

afterAll(async () => {
  healthy?.close();
  await ctx?.close();
});

/**
 * A dispatcher console that completes the Socket.IO handshake and then stops reading its
 * socket altogether: it neither takes events off the wire nor answers heartbeats.
 */
function frozenConsole(url: string, token: string): Promise<WebSocket> {
  const ws = new WebSocket(`${url.replace('http', 'ws')}/socket.io/?EIO=4&transport=websocket`);
  return new Promise((resolve, reject) => {
    ws.on('error', reject);
    ws.on('message', (data) => {
      const packet = data.toString();
      if (packet.startsWith('0')) ws.send(`40${JSON.stringify({ token })}`);
      if (packet.startsWith('40')) {
        (ws as unknown as { _socket: { pause(): void } })._socket.pause();
        resolve(ws);
      }
    });
  });
}

/** The server's side of the next socket that connects for this user. */
function nextServerSocket(userId: string): Promise<ServerSocket> {
  const io = ctx.system.running.realtime!.io;
  return new Promise((resolve) => {
    const onConnection = (socket: ServerSocket) => {
      if (socket.data.user.id !== userId) return;
      io.off('connection', onConnection);
      resolve(socket);
    };
    io.on('connection', onConnection);
  });
}

describe('slow and dead clients', () => {
  it('a console that stops reading delays no one else and is dropped by the heartbeat', async () => {
    const frozenUser = await createUser(ctx, 'dispatcher');
    const serverSide = nextServerSocket(frozenUser.id);
    const frozen = await frozenConsole(ctx.system.url!, frozenUser.token);
    const dropped = serverSide.then((socket) => new Promise<string>((resolve) => socket.once('disconnect', resolve)));

    const call = api(ctx);
    const numbers: string[] = [];
    for (let i = 0; i < 60; i++) numbers.push((await fileTicket(call, dispatcher.token, { category: 'water' })).number);
    const last = await healthy.waitFor((e) => e.type === 'ticket.created' && (e.data as { number: string }).number === numbers.at(-1));
    const received = healthy.events.filter((e) => e.type === 'ticket.created').map((e) => (e.data as { number: string }).number);
    expect(received.slice(-numbers.length)).toEqual(numbers);
    expect(last.seq).toBeGreaterThan(0);

    // No pong ever comes back, so Socket.IO's heartbeat (10 s interval, 5 s timeout) closes it.
    expect(await dropped).toBe('ping timeout');
    frozen.terminate();
  }, 60000);
});
