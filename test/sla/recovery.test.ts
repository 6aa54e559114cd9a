import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Envelope } from '../../src/events/types.js';
import { api, build, createUser, listen, spawnProcess, type Child, type Listener, type System, type TestContext } from '../helper.js';
import { KINDS, STAGES, alertAt, alertOf, createTicket, loseRedisKeys, setPolicy, timerWaitsUntil, untilPast, expectDueAt, type Ticket } from './support.js';

// The in-process instance is API only: it signs the test's tokens and runs no timer, sweep or
// relay, so once the spawned processes are killed nothing of the system is left running.
let ctx: TestContext;
const children: Child[] = [];
const listeners: Listener[] = [];
beforeAll(async () => { ctx = await build({ roles: ['api'] }); });
afterAll(async () => {
  for (const listener of listeners) listener.close();
  await Promise.all(children.map((child) => child.stop('SIGKILL')));
  await ctx?.close();
});

async function start(roles: Array<'api' | 'worker'>): Promise<Child> {
  const child = await spawnProcess(ctx, roles);
  children.push(child);
  return child;
}

async function watch(child: Child, token: string, lastSeq?: number): Promise<Listener> {
  const listener = await listen(child.url!, token, lastSeq);
  listeners.push(listener);
  return listener;
}

const isAlert = (e: Envelope) => e.type === 'sla.warning' || e.type === 'sla.breached';

describe('SLA timers survive a crash of every process and a Redis that lost its keys', () => {
  it('every alert that came due while down fires once after the restart, and timers not yet due are re-armed', async () => {
    const [admin, operator, supervisor] = await Promise.all(
      [createUser(ctx, 'admin'), createUser(ctx, 'operator'), createUser(ctx, 'supervisor')]);
    const [first, worker] = await Promise.all([start(['api', 'worker']), start(['worker'])]);
    const call = api({ url: first.url } as System);
    // Every stage comes due while everything is down.
    await setPolicy(call, admin.token, 'heating', 'P1', { assignSec: 1, arriveSec: 3, resolveSec: 5 });
    // Its first stages come due while down; its last long after the restart.
    await setPolicy(call, admin.token, 'heating', 'P2', { assignSec: 1, arriveSec: 3, resolveSec: 3600 });
    const before = await watch(first, supervisor.token);
    const down = await createTicket(call, operator.token, 'heating', 'P1');
    const later = await createTicket(call, operator.token, 'heating', 'P2');
    // The system was live: one alert went out before the crash, and must not go out again.
    await before.waitFor(alertOf(down.id, 'assign', 'warning'));

    first.process.kill('SIGKILL');
    worker.process.kill('SIGKILL');
    await Promise.all([first.exited, worker.exited]);
    const crashedAt = (await ctx.db.query<{ now: Date }>('SELECT now()')).rows[0]!.now;
    // Not FLUSHALL: other engineers' tests share this Redis. Losing every key of this system's
    // prefix is what a Redis that lost its data looks like to it.
    expect(await loseRedisKeys(ctx.redis, ctx.prefix)).toBeGreaterThan(0);
    await untilPast(ctx, [down.sla.resolveDueAt, later.sla.arriveDueAt]);

    const restarted = await start(['api', 'worker']);
    // From seq 0: the replay shows what went out before the crash, then the live events follow.
    const after = await watch(restarted, supervisor.token, 0);
    const due = [
      ...STAGES.flatMap((stage) => KINDS.map((kind) => ({ ticket: down, stage, kind }))),
      ...(['assign', 'arrive'] as const).flatMap((stage) => KINDS.map((kind) => ({ ticket: later, stage, kind }))),
    ];
    for (const { ticket, stage, kind } of due) await after.waitFor(alertOf(ticket.id, stage, kind));

    // The ticket with a stage not yet due has its timer back in the emptied Redis, waiting for
    // that stage's first alert on its original schedule.
    const resolveWarning = alertAt(later, 'resolve', 'warning');
    expectDueAt(await timerWaitsUntil(ctx, later.id, resolveWarning), resolveWarning);

    // Any second push of an alert was committed before this ticket's event, so it sits before it.
    const marker = await createTicket(api({ url: restarted.url } as System), operator.token, 'heating', 'P3');
    await after.waitFor((e) => e.type === 'ticket.created' && (e.data as Ticket).id === marker.id);
    const pushed = after.events.filter(isAlert).map((e) => {
      const data = e.data as { ticketId: string; stage: string; dueAt: string; breachedAt?: string };
      if (data.breachedAt) expect(Date.parse(data.breachedAt)).toBeGreaterThanOrEqual(Date.parse(data.dueAt));
      return `${data.ticketId}/${data.stage}/${e.type}`;
    });
    expect(pushed.sort()).toEqual(due.map(({ ticket, stage, kind }) =>
      `${ticket.id}/${stage}/${kind === 'warning' ? 'sla.warning' : 'sla.breached'}`).sort());
    const { rows } = await ctx.db.query<{ n: number }>(
      'SELECT count(*)::int AS n FROM sla_alerts WHERE ticket_id = ANY($1::uuid[])', [[down.id, later.id]]);
    expect(rows[0]!.n).toBe(due.length);
    const recovered = await ctx.db.query('SELECT 1 FROM sla_alerts WHERE at > $1', [crashedAt]);
    expect(recovered.rowCount).toBeGreaterThan(0);
  }, 90000);
});
