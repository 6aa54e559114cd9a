import { createHash } from 'node:crypto';
import type { Classifier, Category, Priority } from '../classify/classifier.js';
import type { RunInTx, Tx } from '../db/tx.js';
import type { Pool } from '../db/pool.js';
import type { DispatchService } from '../dispatch/service.js';
import { insertAudit } from '../dispatch/sql.js';
import { ENDED_TICKET, type TicketStatus } from '../dispatch/state-machine.js';
import type { Actor, Transitions } from '../dispatch/transitions.js';
import type { Jobs } from '../jobs/registry.js';
import { Problem, badRequest, invalidTransition, notFound } from '../http/problem.js';
import { SLA_STAGES, slaTimerJob } from '../sla/timers.js';
import {
  bindIdempotencyKey, claimIdempotencyKey, insertCorrection, insertTicket, lockTicketForEdit, ticketJson,
  updateTicketFields, type TicketCore, type TicketJson,
} from './sql.js';

export interface NewTicket {
  caller: { phone: string; name?: string };
  location: { address?: string; lat: number; lon: number };
  description: string;
  category?: Category;
  priority?: Priority;
}

export interface TicketPatch {
  category?: Category;
  priority?: Priority;
  description?: string;
  location?: { address?: string; lat: number; lon: number };
}

export interface CreateResult {
  ticket: TicketJson;
  replayed: boolean;
}

interface Deps {
  pool: Pool;
  runInTx: RunInTx;
  classifier: Classifier;
  dispatch: DispatchService;
  transitions: Transitions;
  jobs: Jobs;
  timeZone: string;
  onCreated?: (ticket: TicketJson) => void;
}

/** Intake and correction of tickets. */
export class TicketService {
  constructor(private readonly deps: Deps) {}

  /** Commits the ticket, its audit entry and its event; routing and SLA timers start right after. */
  async create(input: NewTicket, actor: Actor & { id: string }, idempotencyKey?: string): Promise<CreateResult> {
    const auto = this.deps.classifier.classify(input.description);
    const byOperator = input.category !== undefined || input.priority !== undefined;
    const category = input.category ?? auto.category;
    const priority = input.priority ?? auto.priority;
    const classification = {
      category, priority, confidence: byOperator ? 1 : auto.confidence, matched: auto.matched,
      source: byOperator ? 'operator' : 'auto', suggested: { category: auto.category, priority: auto.priority },
    };
    const corrected = byOperator && (category !== auto.category || priority !== auto.priority);
    // Without a key, the call is the insert alone: its own transaction.
    const single = idempotencyKey === undefined;
    const result = await this.deps.runInTx(async (tx): Promise<CreateResult> => {
      if (idempotencyKey !== undefined) {
        const replay = await this.replay(tx, idempotencyKey, requestHash(input));
        if (replay) return { ticket: replay, replayed: true };
      }
      const created = await insertTicket(tx.client, {
        category, priority, classification, callerPhone: input.caller.phone, callerName: input.caller.name ?? null,
        address: input.location.address ?? null, lat: input.location.lat, lon: input.location.lon,
        description: input.description, createdBy: actor.id, timeZone: this.deps.timeZone,
        audit: { actorRole: actor.role, details: { category, priority, source: classification.source } },
        correctedFrom: corrected ? { category: auto.category, priority: auto.priority } : null,
      }, single);
      if (created.events === null) tx.eventsWritten();
      else tx.emitJson(created.events);
      const { ticket } = created;
      if (idempotencyKey !== undefined) await bindIdempotencyKey(tx.client, idempotencyKey, ticket.id);
      tx.afterCommit(() => this.deps.jobs.add([
        ...(category === 'unclassified' ? [] : [{
          name: 'route' as const, payload: { ticketId: ticket.id, version: created.routeVersion }, priority,
        }]),
        slaTimerJob(ticket.id, created.createdAt, SLA_STAGES.map((stage) => ({ stage, dueAt: created.dues[stage] }))),
      ]));
      return { ticket, replayed: false };
    }, { single });
    if (!result.replayed) this.deps.onCreated?.(result.ticket);
    return result;
  }

  async get(id: string): Promise<TicketJson> {
    const ticket = await ticketJson(this.deps.pool, id);
    if (!ticket) throw notFound('Ticket');
    return ticket;
  }

  /** A correction. A new category re-routes; a new category or priority recomputes the SLA due times. */
  async patch(id: string, patch: TicketPatch, actor: Actor): Promise<TicketJson> {
    if (Object.keys(patch).length === 0) throw badRequest('Nothing to change', [{ path: 'body', message: 'send at least one field' }]);
    return this.deps.runInTx(async (tx) => {
      const current = await lockTicketForEdit(tx.client, id);
      if (!current) throw notFound('Ticket');
      if (ENDED_TICKET.includes(current.status as TicketStatus)) throw invalidTransition(`A ${current.status} ticket cannot be corrected`);
      const next = merged(current, patch);
      const changes = diff(current, next);
      if (Object.keys(changes).length === 0) return (await ticketJson(tx.client, id))!;
      const recategorised = next.category !== current.category;
      const reprioritised = next.priority !== current.priority;
      const classification = recategorised || reprioritised
        ? { ...current.classification, category: next.category, priority: next.priority, source: 'operator', confidence: 1 }
        : current.classification;
      const dues = await updateTicketFields(tx.client, id, { ...next, classification });
      await insertAudit(tx.client, id, actor, 'updated', { changes });
      if (recategorised || reprioritised) await this.correctClassification(tx, current, next, dues, actor);
      const touchedUnits = recategorised
        ? await this.deps.dispatch.rerouteAfterRecategorise(tx, {
          id, number: current.number, status: current.status as TicketStatus, category: next.category,
          priority: next.priority, routeVersion: current.routeVersion,
        }, actor)
        : [];
      return (await this.deps.transitions.announce(tx, { ticketId: id, unitIds: touchedUnits })).ticket as TicketJson;
    });
  }

  private async correctClassification(
    tx: Tx, current: TicketCore, next: ReturnType<typeof merged>,
    dues: { createdAt: Date; assignDueAt: Date; arriveDueAt: Date; resolveDueAt: Date }, actor: Actor,
  ): Promise<void> {
    await insertCorrection(tx.client, {
      ticketId: current.id, text: next.description, category: next.category, priority: next.priority,
      autoCategory: String(current.classification.category), autoPriority: String(current.classification.priority),
      by: actor.id,
    });
    await insertAudit(tx.client, current.id, actor, 'sla_recomputed', {
      assignDueAt: dues.assignDueAt, arriveDueAt: dues.arriveDueAt, resolveDueAt: dues.resolveDueAt,
    });
    const met = { assign: current.acceptedAt, arrive: current.onSceneAt, resolve: current.resolvedAt };
    const unmet = SLA_STAGES.filter((stage) => !met[stage]);
    const due = { assign: dues.assignDueAt, arrive: dues.arriveDueAt, resolve: dues.resolveDueAt };
    // The ticket's timer is moved to its first alert on the new due times, earlier or later.
    const timer = slaTimerJob(current.id, dues.createdAt, unmet.map((stage) => ({ stage, dueAt: due[stage] })));
    tx.afterCommit(() => this.deps.jobs.reschedule(timer));
  }

  /** The ticket an earlier request with this key made, or null when this request owns the key. */
  private async replay(tx: Tx, key: string, hash: string): Promise<TicketJson | null> {
    const claim = await claimIdempotencyKey(tx.client, key, hash);
    if (claim.owned) return null;
    if (claim.requestHash !== hash || !claim.ticketId) {
      throw new Problem(422, 'idempotency_key_reused', 'This Idempotency-Key was used with a different request body');
    }
    return ticketJson(tx.client, claim.ticketId);
  }
}

function merged(current: TicketCore, patch: TicketPatch) {
  return {
    category: patch.category ?? current.category,
    priority: patch.priority ?? current.priority,
    description: patch.description ?? current.description,
    address: patch.location ? patch.location.address ?? null : current.address,
    lat: patch.location?.lat ?? current.lat,
    lon: patch.location?.lon ?? current.lon,
  };
}

function diff(current: TicketCore, next: ReturnType<typeof merged>): Record<string, { from: unknown; to: unknown }> {
  const changes: Record<string, { from: unknown; to: unknown }> = {};
  for (const field of ['category', 'priority', 'description', 'address', 'lat', 'lon'] as const) {
    if (current[field] !== next[field]) changes[field] = { from: current[field], to: next[field] };
  }
  return changes;
}

/** Canonical hash of a request body: same fields, same values → same hash, whatever the key order. */
function requestHash(body: unknown): string {
  return createHash('sha256').update(canonical(body)).digest('hex');
}

function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined).sort(([a], [b]) => (a < b ? -1 : 1));
    return `{${entries.map(([k, v]) => `${JSON.stringify(k)}:${canonical(v)}`).join(',')}}`;
  }
  return JSON.stringify(value);
}
