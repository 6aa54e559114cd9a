import { expect } from 'vitest';
import type { TestContext } from '../helper.js';
import { addCrew, fileTicket, offerData, respond, type Crew, type Desk, type Offer } from './support.js';

const CITY = { lat: 34.75, lon: 113.62 };
const PRIORITIES = ['P1', 'P2', 'P3'] as const;
/** A ticket is declined at most this often, so a unit of its type always remains to take it. */
const MAX_DECLINES = 2;
const DECLINE_ODDS = 0.3;

const somewhere = () => ({ lat: CITY.lat + (Math.random() - 0.5) * 0.1, lon: CITY.lon + (Math.random() - 0.5) * 0.1 });
const pickOne = <T>(items: readonly T[]): T => items[Math.floor(Math.random() * items.length)]!;

/**
 * Responders of a burst: each device answers its unit's offers as they arrive, declining some at
 * random and working the rest through to resolved. Everything they see that should not happen is
 * kept in `problems`.
 */
export class Crews {
  readonly problems: string[] = [];
  readonly resolved = new Set<string>();
  private readonly declines = new Map<string, number>();
  private readonly seen = new Set<string>();
  private readonly responders: Responder[] = [];
  private readonly waiters: Array<{ count: number; resolve: () => void }> = [];
  paused = false;

  constructor(readonly d: Desk) {}

  /** Puts units on duty, `count` of each type, each with a device answering its offers. */
  async enlist(ctx: TestContext, units: Record<string, number>): Promise<void> {
    for (const [type, count] of Object.entries(units)) {
      for (let i = 0; i < count; i++) this.responders.push(new Responder(this, await addCrew(ctx, this.d, type, somewhere())));
    }
  }

  /** Files tickets of the given types at random spots and priorities, a few calls at a time. */
  async file(types: Record<string, number>, inParallel = 10): Promise<string[]> {
    const pending = Object.entries(types).flatMap(([category, count]) => Array<string>(count).fill(category));
    const ids: string[] = [];
    const caller = async () => {
      for (let category = pending.pop(); category; category = pending.pop()) {
        ids.push((await fileTicket(this.d, { category, priority: pickOne(PRIORITIES), ...somewhere() })).id);
      }
    };
    await Promise.all(Array.from({ length: inParallel }, caller));
    return ids;
  }

  /** Resolves once `count` tickets are resolved. */
  resolvedAtLeast(count: number): Promise<void> {
    if (this.resolved.size >= count) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push({ count, resolve }));
  }

  /** Stops answering new offers and waits for the answers under way. */
  async pause(): Promise<void> {
    this.paused = true;
    await Promise.all(this.responders.map((r) => r.working));
  }

  resume(): void {
    this.paused = false;
    for (const responder of this.responders) responder.pump();
  }

  close(): void {
    for (const responder of this.responders) responder.crew.device.close();
  }

  /** First sight of an assignment: a device may receive an event twice (live and replayed). */
  firstSight(assignmentId: string): boolean {
    if (this.seen.has(assignmentId)) return false;
    this.seen.add(assignmentId);
    return true;
  }

  shouldDecline(ticketId: string): boolean {
    const declined = this.declines.get(ticketId) ?? 0;
    if (declined >= MAX_DECLINES || Math.random() >= DECLINE_ODDS) return false;
    this.declines.set(ticketId, declined + 1);
    return true;
  }

  markResolved(ticketId: string): void {
    this.resolved.add(ticketId);
    for (const waiter of [...this.waiters]) {
      if (this.resolved.size >= waiter.count) {
        this.waiters.splice(this.waiters.indexOf(waiter), 1);
        waiter.resolve();
      }
    }
  }
}

class Responder {
  working: Promise<void> = Promise.resolve();
  private readonly offers: Offer[] = [];
  private busy = false;
  /** From an offer until its last answer is sent: another offer meanwhile means the unit held two. */
  private holding: string | null = null;

  constructor(private readonly crews: Crews, readonly crew: Crew) {
    crew.device.socket.on('assignment.offered', (event) => this.offered(offerData(event)));
  }

  pump(): void {
    if (this.crews.paused || this.busy) return;
    const offer = this.offers.shift();
    if (!offer) return;
    this.busy = true;
    this.working = this.answer(offer)
      .catch((error: Error) => { this.crews.problems.push(`${this.crew.unit.callsign}: ${error.message}`); })
      .finally(() => {
        this.busy = false;
        this.pump();
      });
  }

  private offered(offer: Offer): void {
    if (!this.crews.firstSight(offer.assignment.id)) return;
    if (this.holding) {
      this.crews.problems.push(`${this.crew.unit.callsign} was offered ${offer.ticket.id} while holding ${this.holding}`);
    }
    this.holding = offer.ticket.id;
    this.offers.push(offer);
    this.pump();
  }

  private async answer(offer: Offer): Promise<void> {
    const send = async (action: 'accept' | 'decline' | 'progress', body?: object) => {
      const answer = await respond(this.crews.d, this.crew, offer.assignment.id, action, body);
      if (answer.status !== 200) {
        throw new Error(`${action} ${JSON.stringify(body ?? {})} answered ${answer.status}: ${JSON.stringify(answer.body)}`);
      }
    };
    if (this.crews.shouldDecline(offer.ticket.id)) {
      this.holding = null;
      await send('decline', { reason: 'another call on the way' });
      return;
    }
    await send('accept');
    await send('progress', { status: 'en_route' });
    await send('progress', { status: 'on_scene' });
    this.holding = null;
    await send('progress', { status: 'resolved' });
    this.crews.markResolved(offer.ticket.id);
  }
}

/**
 * From the assignment rows: no unit held two assignments at once and no ticket had two live
 * offers (each one's [offered_at, ended_at) intervals never overlap), every assignment ended,
 * and each ticket was completed exactly once, by its last assignment.
 */
export async function expectCleanHistory(ctx: TestContext, ticketIds: string[]): Promise<void> {
  const overlaps = (key: 'unit_id' | 'ticket_id') => ctx.db.query(
    `SELECT ${key} AS owner, id, offered_at, ended_at, next_offered_at FROM (
       SELECT a.*, lead(offered_at) OVER (PARTITION BY ${key} ORDER BY offered_at, id) AS next_offered_at
       FROM assignments a WHERE a.ticket_id = ANY($1::uuid[])) s
     WHERE ended_at IS NULL OR ended_at > next_offered_at`, [ticketIds]);
  expect((await overlaps('unit_id')).rows).toEqual([]);
  expect((await overlaps('ticket_id')).rows).toEqual([]);

  const { rows } = await ctx.db.query(
    `SELECT t.id, t.status,
            (SELECT count(*)::int FROM assignments a WHERE a.ticket_id = t.id AND a.status = 'completed') AS completed,
            (SELECT a.status FROM assignments a WHERE a.ticket_id = t.id ORDER BY a.offered_at DESC LIMIT 1) AS last
     FROM tickets t WHERE t.id = ANY($1::uuid[])`, [ticketIds]);
  expect(rows).toHaveLength(ticketIds.length);
  expect(rows.filter((row) => row.status !== 'resolved' || row.completed !== 1 || row.last !== 'completed')).toEqual([]);
  const units = await ctx.db.query(`SELECT callsign, status FROM units WHERE status <> 'available'`);
  expect(units.rows).toEqual([]);
}

/** Units on duty and free while a queued ticket they may take waits: work left lying. */
export async function idleUnitsWithWork(ctx: TestContext): Promise<string[]> {
  const { rows } = await ctx.db.query<{ callsign: string }>(
    `SELECT u.callsign FROM units u
     WHERE u.status = 'available' AND EXISTS (
       SELECT 1 FROM tickets t
       WHERE t.status = 'queued' AND t.category = u.type
         AND NOT EXISTS (SELECT 1 FROM assignments a WHERE a.ticket_id = t.id AND a.unit_id = u.id
                           AND a.status IN ('declined', 'expired')))`);
  return rows.map((row) => row.callsign);
}
