import { io, type Socket } from 'socket.io-client';
import { pooled } from './stats.js';

/** One Socket.IO client over a WebSocket of its own, as a console or device would connect. */
export function connect(url: string, token?: string): Promise<Socket> {
  const socket = io(url, {
    auth: token === undefined ? {} : { token }, transports: ['websocket'], reconnection: false, forceNew: true,
  });
  return new Promise((resolve, reject) => {
    socket.once('connect', () => resolve(socket));
    socket.once('connect_error', (error) => { socket.disconnect(); reject(error); });
  });
}

/** Many clients, in the order of `tokens`, a few handshakes at a time rather than a connection storm. */
export async function connectMany(url: string, tokens: ReadonlyArray<string | undefined>, concurrency = 50): Promise<Socket[]> {
  const sockets: Socket[] = [];
  try {
    await pooled(tokens, concurrency, async (token, index) => { sockets[index] = await connect(url, token); });
    return sockets;
  } catch (error) {
    closeAll(sockets.filter(Boolean));
    throw error;
  }
}

export function closeAll(sockets: readonly Socket[]): void {
  for (const socket of sockets) socket.disconnect();
}
