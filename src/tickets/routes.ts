import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { STAFF } from '../auth/roles.js';
import type { Pool } from '../db/pool.js';
import { decodeCursor, toPage } from '../http/cursor.js';
import { forbidden } from '../http/problem.js';
import { IdParams, Page, Uuid, problemResponses } from '../http/schemas.js';
import type { DispatchService } from '../dispatch/service.js';
import {
  AssignmentView, IdempotencyHeaders, NewTicketBody, PatchTicketBody, TicketQuery, TicketWithEvents,
} from './schemas.js';
import { auditTrail, listTickets, unitHeldTicket } from './sql.js';
import type { TicketService } from './service.js';

export interface TicketRoutesOptions {
  pool: Pool;
  tickets: TicketService;
  dispatch: DispatchService;
}

const secured = { security: [{ bearer: [] }] };
const ref = (id: string) => Type.Ref(id);

const ticketRoutes: FastifyPluginAsyncTypebox<TicketRoutesOptions> = async (app, { pool, tickets, dispatch }) => {
  const intake = app.authorize(['operator', 'dispatcher']);
  const dispatcher = app.authorize(['dispatcher']);

  app.post('/tickets', {
    schema: {
      tags: ['tickets'], summary: 'Create a ticket from a call', ...secured, body: NewTicketBody, headers: IdempotencyHeaders,
      response: { 200: ref('Ticket'), 201: ref('Ticket'), ...problemResponses },
    },
    preHandler: intake,
  }, async (request, reply) => {
    const { ticket, replayed } = await tickets.create(request.body, request.user, request.headers['idempotency-key']);
    if (replayed) return reply.header('Idempotent-Replayed', 'true').code(200).send(ticket);
    return reply.code(201).send(ticket);
  });

  app.get('/tickets', {
    schema: {
      tags: ['tickets'], summary: 'List tickets, newest first', ...secured, querystring: TicketQuery,
      response: { 200: Page(ref('Ticket')), ...problemResponses },
    },
    preHandler: app.authorize(STAFF),
  }, async (request) => {
    const { status, category, priority, cursor } = request.query;
    const limit = request.query.limit ?? 50;
    const before = decodeCursor(cursor, ['time', 'uuid']) as [string, string] | null;
    const rows = await listTickets(pool, { status, category, priority, before, limit });
    const page = toPage(rows, limit, (row) => row.key);
    return { items: page.items.map((row) => row.ticket), nextCursor: page.nextCursor };
  });

  app.get('/tickets/:id', {
    schema: {
      tags: ['tickets'], summary: 'A ticket with its assignments and audit trail', ...secured, params: IdParams,
      response: { 200: TicketWithEvents, ...problemResponses },
    },
    preHandler: app.authorize([...STAFF, 'responder']),
  }, async (request) => {
    const ticket = await tickets.get(request.params.id);
    if (request.user.role === 'responder' && !(await unitHeldTicket(pool, request.user.unitId!, ticket.id))) {
      throw forbidden('This ticket was never with your unit');
    }
    return { ...ticket, events: await auditTrail(pool, ticket.id) };
  });

  app.patch('/tickets/:id', {
    schema: {
      tags: ['tickets'], summary: 'Correct a ticket; a new category re-routes it', ...secured, params: IdParams,
      body: PatchTicketBody, response: { 200: ref('Ticket'), ...problemResponses },
    },
    preHandler: intake,
  }, async (request) => tickets.patch(request.params.id, request.body, request.user));

  app.post('/tickets/:id/cancel', {
    schema: {
      tags: ['tickets'], summary: 'Cancel a ticket', ...secured, params: IdParams,
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
      response: { 200: ref('Ticket'), ...problemResponses },
    },
    preHandler: dispatcher,
  }, async (request) => dispatch.cancel(request.params.id, request.body.reason, request.user));

  app.post('/tickets/:id/merge', {
    schema: {
      tags: ['tickets'], summary: 'Fold a duplicate into another open ticket', ...secured, params: IdParams,
      body: Type.Object({ into: Uuid }, { additionalProperties: false }),
      response: { 200: ref('Ticket'), ...problemResponses },
    },
    preHandler: dispatcher,
  }, async (request) => dispatch.merge(request.params.id, request.body.into, request.user));

  app.post('/tickets/:id/assign', {
    schema: {
      tags: ['dispatch'], summary: 'Offer a ticket to a chosen unit, overriding routing', ...secured, params: IdParams,
      body: Type.Object({ unitId: Uuid, force: Type.Optional(Type.Boolean()) }, { additionalProperties: false }),
      response: { 200: AssignmentView, ...problemResponses },
    },
    preHandler: dispatcher,
  }, async (request) => dispatch.assign(request.params.id, request.body.unitId, request.body.force ?? false, request.user));

  app.post('/tickets/:id/close', {
    schema: {
      tags: ['tickets'], summary: 'Close a resolved ticket after the callback to the citizen', ...secured, params: IdParams,
      body: Type.Object({
        satisfaction: Type.Optional(Type.Integer({ minimum: 1, maximum: 5 })),
        note: Type.Optional(Type.String({ maxLength: 2000 })),
      }, { additionalProperties: false }),
      response: { 200: ref('Ticket'), ...problemResponses },
    },
    preHandler: intake,
  }, async (request) => dispatch.close(request.params.id, request.body.satisfaction ?? null, request.body.note ?? null, request.user));
};

export default ticketRoutes;
