import { expect } from 'vitest';
import type { Envelope } from '../../src/events/types.js';
import { QueueEvents } from 'bullmq';
import { jobId } from '../../src/jobs/registry.js';
import type { Redis } from '../../src/redis.js';
import { api, createUser, listen, type Api, type Listener, type TestContext } from '../helper.js';

export type Stage = 'assign' | 'arrive' | 'resolve';
export type Kind = 'warning' | 'breach';
export const STAGES: Stage[] = ['assign', 'arrive', 'resolve'];
export const KINDS: Kind[] = ['warning', 'breach'];
export const DUE_FIELD = { assign: 'assignDueAt', arrive: 'arriveDueAt', resolve: 'resolveDueAt' } as const;
const EVENT_OF: Record<Kind, string> = { warning: 'sla.warning', breach: 'sla.breached' };

export interface Policy {
  assignSec: number;
  arriveSec: number;
  resolveSec: number;
}

export interface Ticket {
  id: string;
  number: string;
  status: string;
  category: string;
  priority: string;
  createdAt: string;
  sla: { assignDueAt: string; arriveDueAt: string; resolveDueAt: string; breaches: Array<{ stage: string; dueAt: string; breachedAt: string }> };
}

/** The people a test acts as, and a supervisor's socket that records every SLA event. */
export interface Desk {
  call: Api;
  admin: string;
  operator: string;
  dispatcher: string;
  supervisor: string;
  board: Listener;
}

export async function openDesk(ctx: TestContext, url = ctx.system.url!): Promise<Desk> {
  const [admin, operator, dispatcher, supervisor] = await Promise.all(
    (['admin', 'operator', 'dispatcher', 'supervisor'] as const).map((role) => createUser(ctx, role)));
  return {
    call: api(ctx), admin: admin!.token, operator: operator!.token, dispatcher: dispatcher!.token,
    supervisor: supervisor!.token, board: await listen(url, supervisor!.token),
  };
}

export async function setPolicy(call: Api, adminToken: string, category: string, priority: string, policy: Policy): Promise<void> {
  const res = await call('PUT', `/v1/sla/policies/${category}/${priority}`, { token: adminToken, body: policy });
  if (res.status !== 200) throw new Error(`policy not set: ${res.status} ${JSON.stringify(res.body)}`);
}

let spot = 0;
/** A ticket with the operator's category and priority; each at its own spot, so none is a duplicate of another. */
export async function createTicket(call: Api, token: string, category: string, priority: string): Promise<Ticket> {
  spot += 1;
  const res = await call('POST', '/v1/tickets', { token, body: {
    caller: { phone: '13800000000' }, location: { lat: 30 + spot * 0.01, lon: 120 }, description: `${category} call ${spot}`,
    category, priority,
  } });
  if (res.status !== 201) throw new Error(`ticket not created: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as Ticket;
}

/** Matches the SLA event of one ticket's stage and kind. */
export function alertOf(ticketId: string, stage: Stage, kind: Kind): (event: Envelope) => boolean {
  return (event) => {
    const data = event.data as { ticketId?: string; stage?: string };
    return event.type === EVENT_OF[kind] && data.ticketId === ticketId && data.stage === stage;
  };
}

/** SLA events a listener has recorded for a ticket, as "stage/kind" strings. */
export function alertsSeen(listener: Listener, ticketId: string): string[] {
  return listener.events
    .filter((e) => (e.type === 'sla.warning' || e.type === 'sla.breached') && (e.data as { ticketId: string }).ticketId === ticketId)
    .map((e) => `${(e.data as { stage: string }).stage}/${e.type === 'sla.warning' ? 'warning' : 'breach'}`);
}

/** Alert rows of a ticket, as "stage/kind" strings. */
export async function alertRows(ctx: TestContext, ticketId: string): Promise<string[]> {
  const { rows } = await ctx.db.query<{ key: string }>(
    `SELECT stage || '/' || kind AS key FROM sla_alerts WHERE ticket_id = $1 ORDER BY stage, kind`, [ticketId]);
  return rows.map((row) => row.key);
}

/** When an alert of a stage is due, by the ticket's own times: 80 % of the way for a warning. */
export function alertAt(ticket: Ticket, stage: Stage, kind: Kind): number {
  const created = Date.parse(ticket.createdAt);
  const due = Date.parse(ticket.sla[DUE_FIELD[stage]]);
  return kind === 'breach' ? due : created + (due - created) * 0.8;
}

/** A unit of the given type, on duty, with its responder's token and a socket on its room. */
export async function unitOnDuty(ctx: TestContext, desk: Desk, type: string) {
  const unit = (await desk.call('POST', '/v1/units', {
    token: desk.admin, body: { callsign: `${type}-${++spot}`, type, location: { lat: 30, lon: 120 } },
  })).body as { id: string };
  const responder = await createUser(ctx, 'responder', unit.id);
  const device = await listen(ctx.system.url!, responder.token);
  const res = await desk.call('PUT', `/v1/units/${unit.id}/status`, { token: responder.token, body: { status: 'available' } });
  if (res.status !== 200) throw new Error(`unit not on duty: ${res.status}`);
  return { unit, token: responder.token, device };
}

/**
 * Deletes every key of this test's prefix, as a Redis that lost its data would. Never FLUSHALL:
 * other engineers' tests share this Redis under their own prefixes.
 */
export async function loseRedisKeys(redis: Redis, prefix: string): Promise<number> {
  let cursor = '0';
  let deleted = 0;
  do {
    const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:*`, 'COUNT', 1000);
    cursor = next;
    if (keys.length) deleted += await redis.del(...keys);
  } while (cursor !== '0');
  return deleted;
}

/**
 * When a ticket's SLA timer will next fire (epoch ms), or null when it has none waiting. Read from
 * the delayed set's score (BullMQ stores time × 4096): a job moved back to waiting keeps its
 * creation time and a relative delay, which no longer say when it runs.
 */
export async function timerFiresAt(ctx: TestContext, ticketId: string): Promise<number | null> {
  const score = await ctx.redis.zscore(`${ctx.prefix}:sla:delayed`, jobId.slaTimer({ ticketId }));
  return score === null ? null : Math.floor(Number(score) / 0x1000);
}

/**
 * Resolves when a ticket's SLA timer is (or has been) put to wait until `atLeast` or later: read
 * from the queue's event stream from its start, so a move made before this call is seen too.
 */
export async function timerWaitsUntil(ctx: TestContext, ticketId: string, atLeast: number, timeoutMs = 20000): Promise<number> {
  const id = jobId.slaTimer({ ticketId });
  const connection = ctx.redis.duplicate({ maxRetriesPerRequest: null });
  const events = new QueueEvents('sla', { connection, prefix: ctx.prefix, lastEventId: '0' });
  try {
    return await new Promise<number>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timer of ${ticketId} never waited until ${new Date(atLeast).toISOString()}`)), timeoutMs);
      events.on('delayed', ({ jobId: moved, delay }) => {
        if (moved !== id || Number(delay) < atLeast) return;
        clearTimeout(timer);
        resolve(Number(delay));
      });
    });
  } finally {
    // BullMQ blocks on a copy of the connection it is given: both are closed here.
    await events.close();
    connection.disconnect();
  }
}

/**
 * A timer is due at an alert: never before it, and only by the few milliseconds BullMQ adds (it
 * stores a delay relative to when the job is built, not the absolute time asked for).
 */
export function expectDueAt(firesAt: number | null, alertAtMs: number): void {
  expect(firesAt).not.toBeNull();
  expect(firesAt!).toBeGreaterThanOrEqual(alertAtMs);
  expect(firesAt!).toBeLessThan(alertAtMs + 50);
}

/** Polls the database's clock until every given time has passed: with no timer running, no event can tell us. */
export async function untilPast(ctx: TestContext, times: string[]): Promise<void> {
  const deadline = Date.now() + 30000;
  for (;;) {
    const { rows } = await ctx.db.query<{ past: boolean }>('SELECT now() > ALL($1::timestamptz[]) AS past', [times]);
    if (rows[0]!.past) return;
    if (Date.now() > deadline) throw new Error('the times never passed');
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}
