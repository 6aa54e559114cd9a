import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { STAFF } from '../auth/roles.js';
import type { AuthUser } from '../auth/roles.js';
import type { Pool } from '../db/pool.js';
import type { RunInTx } from '../db/tx.js';
import type { DispatchService } from '../dispatch/service.js';
import { DISPATCH_ROOM } from '../events/types.js';
import { decodeCursor, toPage } from '../http/cursor.js';
import { conflict, forbidden, notFound } from '../http/problem.js';
import { Coordinates, IdParams, IsoTime, Page, PageQuery, UnitTypeSchema, Uuid, problemResponses } from '../http/schemas.js';
import { getUnit, insertUnit, listUnits, updateUnitLocation } from './sql.js';

export const UnitSchema = Type.Object({
  id: Uuid, callsign: Type.String(), type: UnitTypeSchema,
  status: Type.Enum(['available', 'busy', 'off_duty'] as const),
  location: Type.Union([Coordinates, Type.Null()]),
  ticketId: Type.Union([Uuid, Type.Null()]),
  createdAt: IsoTime, updatedAt: IsoTime,
}, { $id: 'Unit' });

export interface UnitRoutesOptions {
  pool: Pool;
  runInTx: RunInTx;
  dispatch: DispatchService;
}

const secured = { tags: ['units'], security: [{ bearer: [] }] };
const unitResponse = { 200: Type.Ref('Unit'), ...problemResponses };

/** A responder acts only on its own unit. */
function assertOwnUnit(user: AuthUser, unitId: string): void {
  if (user.role === 'responder' && user.unitId !== unitId) throw forbidden('Responders act on their own unit only');
}

const unitRoutes: FastifyPluginAsyncTypebox<UnitRoutesOptions> = async (app, { pool, runInTx, dispatch }) => {

  app.post('/units', {
    schema: {
      ...secured, summary: 'Register a unit (off duty until it says otherwise)',
      body: Type.Object({
        callsign: Type.String({ minLength: 1, maxLength: 50 }),
        type: UnitTypeSchema,
        location: Type.Optional(Type.Union([Coordinates, Type.Null()])),
      }, { additionalProperties: false }),
      response: { 201: Type.Ref('Unit'), ...problemResponses },
    },
    preHandler: app.authorize(['admin']),
  }, async (request, reply) => {
    const { callsign, type, location } = request.body;
    const unit = await runInTx(async (tx) => {
      const created = await insertUnit(tx.client, { callsign, type, lat: location?.lat ?? null, lon: location?.lon ?? null });
      if (!created) throw conflict(`Callsign ${callsign} is taken`);
      tx.emit('unit.updated', [DISPATCH_ROOM], created);
      return created;
    });
    return reply.code(201).send(unit);
  });

  app.get('/units', {
    schema: {
      ...secured, summary: 'List units by callsign',
      querystring: Type.Object({
        ...PageQuery,
        type: Type.Optional(UnitTypeSchema),
        status: Type.Optional(Type.Enum(['available', 'busy', 'off_duty'] as const)),
      }, { additionalProperties: false }),
      response: { 200: Page(Type.Ref('Unit')), ...problemResponses },
    },
    preHandler: app.authorize(STAFF),
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const after = decodeCursor(request.query.cursor, ['text', 'uuid']) as [string, string] | null;
    const rows = await listUnits(pool, { type: request.query.type, status: request.query.status, after, limit });
    const page = toPage(rows, limit, (row) => row.key);
    return { items: page.items.map((row) => row.unit), nextCursor: page.nextCursor };
  });

  app.get('/units/:id', {
    schema: { ...secured, summary: 'One unit', params: IdParams, response: unitResponse },
    preHandler: app.authorize(STAFF),
  }, async (request) => {
    const unit = await getUnit(pool, request.params.id);
    if (!unit) throw notFound('Unit');
    return unit;
  });

  app.put('/units/:id/status', {
    schema: {
      ...secured, summary: 'Go available (takes queued work) or off duty (withdraws a pending offer)', params: IdParams,
      body: Type.Object({ status: Type.Enum(['available', 'off_duty'] as const) }, { additionalProperties: false }),
      response: unitResponse,
    },
    preHandler: app.authorize(['admin', 'dispatcher', 'responder']),
  }, async (request) => {
    assertOwnUnit(request.user, request.params.id);
    return dispatch.setUnitStatus(request.params.id, request.body.status, request.user);
  });

  app.put('/units/:id/location', {
    schema: { ...secured, summary: 'Report where the unit is', params: IdParams, body: Coordinates, response: unitResponse },
    preHandler: app.authorize(['admin', 'responder']),
  }, async (request) => {
    assertOwnUnit(request.user, request.params.id);
    return runInTx(async (tx) => {
      const unit = await updateUnitLocation(tx.client, request.params.id, request.body.lat, request.body.lon);
      if (!unit) throw notFound('Unit');
      tx.emit('unit.updated', [DISPATCH_ROOM], unit);
      return unit;
    });
  });
};

export default unitRoutes;
