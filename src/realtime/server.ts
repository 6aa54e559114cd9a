import { createAdapter } from '@socket.io/redis-adapter';
import type { FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import { Server, type Socket } from 'socket.io';
import type { AuthUser } from '../auth/roles.js';
import type { Pool } from '../db/pool.js';
import type { DispatchService } from '../dispatch/service.js';
import { channels } from '../events/channels.js';
import { DISPATCH_ROOM, SUPERVISORS_ROOM, unitRoom, type Envelope, type EventType, type RelayBatch } from '../events/types.js';
import type { Redis } from '../redis.js';
import { EventStream, envelope } from './stream.js';

/** Server → client events: each is emitted under its type with the envelope. */
export type ServerToClientEvents = { [T in EventType]: (event: Envelope) => void };

/** Client → server: a responder's device confirms it has an offer. */
export interface ClientToServerEvents {
  'assignment.ack': (body: { assignmentId?: unknown }, done?: (result: { ok: boolean }) => void) => void;
}

interface SocketData {
  user: AuthUser;
  rooms: string[];
}

type IoSocket = Socket<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>;

export interface RealtimeDeps {
  app: FastifyInstance;
  pool: Pool;
  /** Two connections for the adapter: one publishes, one subscribes. */
  pub: Redis;
  sub: Redis;
  prefix: string;
  dispatch: DispatchService;
  logger: Logger;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The rooms a user's sockets join; no client message can change them. */
export function roomsFor(user: AuthUser): string[] {
  switch (user.role) {
    case 'responder': return user.unitId ? [unitRoom(user.unitId)] : [];
    case 'operator':
    case 'dispatcher': return [DISPATCH_ROOM];
    case 'supervisor':
    case 'admin': return [DISPATCH_ROOM, SUPERVISORS_ROOM];
  }
}

/** Socket.IO on the app's HTTP server, fed by the relay's ordered batches through the Redis adapter. */
export async function attachRealtime(deps: RealtimeDeps): Promise<{ io: Server; stream: EventStream; close(): Promise<void> }> {
  const names = channels(deps.prefix);
  const io = new Server<ClientToServerEvents, ServerToClientEvents, Record<string, never>, SocketData>(deps.app.server, {
    adapter: createAdapter(deps.pub, deps.sub, { key: names.socketIoKey }),
    // Dead peers are dropped after ~15 s instead of Socket.IO's default ~45 s.
    pingInterval: 10000,
    pingTimeout: 5000,
    serveClient: false,
  });
  const stream = new EventStream(deps.pool, {
    toRooms: (rooms, event) => { io.local.to(rooms).emit(event.type, envelope(event)); },
  }, deps.logger);
  await stream.start();
  io.on(names.batchEvent as never, ((batch: RelayBatch) => stream.receive(batch)) as never);

  io.use((socket, next) => {
    const token = (socket.handshake.auth as { token?: unknown }).token;
    try {
      if (typeof token !== 'string') throw new Error('missing token');
      const payload = deps.app.jwt.verify<{ sub: string; username: string; role: AuthUser['role']; unitId: string | null; exp?: number }>(token);
      const user: AuthUser = { id: payload.sub, username: payload.username, role: payload.role, unitId: payload.unitId };
      socket.data = { user, rooms: roomsFor(user) };
      expireWithToken(socket, payload.exp);
      next();
    } catch {
      next(new Error('unauthorized'));
    }
  });

  io.on('connection', (socket: IoSocket) => {
    socket.on('assignment.ack', (body, done) => void acknowledge(deps, socket, body, done));
    const lastSeq = parseLastSeq((socket.handshake.auth as { lastSeq?: unknown }).lastSeq);
    if (lastSeq === null) {
      void socket.join(socket.data.rooms);
      return;
    }
    stream.replay({
      rooms: socket.data.rooms,
      lastSeq,
      send: (event) => socket.emit(event.type, envelope(event)),
      join: () => { void socket.join(socket.data.rooms); },
      alive: () => socket.connected,
    }).catch((error) => {
      deps.logger.warn({ err: error }, 'replay failed; client must reconnect');
      socket.disconnect(true);
    });
  });

  return {
    io,
    stream,
    // The HTTP server is Fastify's to close (it waits for in-flight requests); here only the sockets go.
    close: async () => {
      io.disconnectSockets(true);
      io.engine.close();
      await io.of('/').adapter.close();
      await stream.settled();
    },
  };
}

/** A seq the client says it has seen, or null when it asked for live events only. */
function parseLastSeq(value: unknown): number | null {
  const seq = typeof value === 'string' && /^\d{1,15}$/.test(value) ? Number(value) : value;
  return typeof seq === 'number' && Number.isSafeInteger(seq) && seq >= 0 ? seq : null;
}

/** A socket lives no longer than the token it showed. */
function expireWithToken(socket: IoSocket, exp: number | undefined): void {
  // The HTTP API takes a token without exp for as long as it is presented; so does the socket.
  if (typeof exp !== 'number') return;
  const ms = exp * 1000 - Date.now();
  const timer = setTimeout(() => socket.disconnect(true), Math.max(0, Math.min(ms, 2 ** 31 - 1)));
  socket.on('disconnect', () => clearTimeout(timer));
}

async function acknowledge(
  deps: RealtimeDeps, socket: IoSocket, body: { assignmentId?: unknown }, done?: (result: { ok: boolean }) => void,
): Promise<void> {
  const { user } = socket.data;
  const assignmentId = body?.assignmentId;
  let ok = false;
  if (user.role === 'responder' && user.unitId && typeof assignmentId === 'string' && UUID.test(assignmentId)) {
    ok = await deps.dispatch.delivered(assignmentId, user.unitId).catch((error) => {
      deps.logger.warn({ err: error }, 'delivery receipt not recorded');
      return false;
    });
  }
  if (typeof done === 'function') done({ ok });
}
