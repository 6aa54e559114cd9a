import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { STAFF } from '../auth/roles.js';
import type { Pool } from '../db/pool.js';
import { decodeCursor, toPage } from '../http/cursor.js';
import { badRequest } from '../http/problem.js';
import { CategorySchema, IsoTime, Page, PageQuery, PrioritySchema, UnitTypeSchema, Uuid, problemResponses } from '../http/schemas.js';
import { listBreaches, listPolicies, upsertPolicy } from './sql.js';
import { supervisorStats } from './stats.js';

const Seconds = Type.Integer({ minimum: 1, maximum: 30 * 86400 });
export const PolicySchema = Type.Object({
  category: UnitTypeSchema, priority: PrioritySchema, assignSec: Seconds, arriveSec: Seconds, resolveSec: Seconds,
  updatedAt: IsoTime,
}, { $id: 'SlaPolicy' });
const Stage = Type.Enum(['assign', 'arrive', 'resolve'] as const);
const Breach = Type.Object({
  ticketId: Uuid, number: Type.String(), stage: Stage, category: Type.String(), priority: PrioritySchema,
  dueAt: IsoTime, breachedAt: IsoTime, status: Type.String(),
});

export interface SlaRoutesOptions {
  pool: Pool;
  timeZone: string;
}

const secured = { tags: ['sla'], security: [{ bearer: [] }] };

const slaRoutes: FastifyPluginAsyncTypebox<SlaRoutesOptions> = async (app, { pool, timeZone }) => {

  app.get('/sla/policies', {
    schema: { ...secured, summary: 'SLA policies', response: { 200: Type.Array(Type.Ref('SlaPolicy')), ...problemResponses } },
    preHandler: app.authorize(STAFF),
  }, async () => listPolicies(pool));

  app.put('/sla/policies/:category/:priority', {
    schema: {
      ...secured, summary: 'Set a policy; applies to tickets created from now on',
      params: Type.Object({ category: UnitTypeSchema, priority: PrioritySchema }),
      body: Type.Object({ assignSec: Seconds, arriveSec: Seconds, resolveSec: Seconds }, { additionalProperties: false }),
      response: { 200: Type.Ref('SlaPolicy'), ...problemResponses },
    },
    preHandler: app.authorize(['admin']),
  }, async (request) => {
    const { assignSec, arriveSec, resolveSec } = request.body;
    if (!(assignSec <= arriveSec && arriveSec <= resolveSec)) {
      throw badRequest('Stages nest: assignSec ≤ arriveSec ≤ resolveSec',
        [{ path: 'body', message: 'assignSec ≤ arriveSec ≤ resolveSec' }]);
    }
    return upsertPolicy(pool, { ...request.params, ...request.body });
  });

  app.get('/sla/breaches', {
    schema: {
      ...secured, summary: 'SLA breaches, newest first',
      querystring: Type.Object({
        ...PageQuery, since: Type.Optional(IsoTime), stage: Type.Optional(Stage),
        // Breaches keep the ticket's own category, unclassified included (held to the police policy).
        category: Type.Optional(CategorySchema), priority: Type.Optional(PrioritySchema),
      }, { additionalProperties: false }),
      response: { 200: Page(Breach), ...problemResponses },
    },
    preHandler: app.authorize(['supervisor', 'dispatcher']),
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const before = decodeCursor(request.query.cursor, ['time', 'uuid', 'text']) as [string, string, string] | null;
    const rows = await listBreaches(pool, { ...request.query, before, limit });
    const page = toPage(rows, limit, (row) => row.key);
    return { items: page.items.map((row) => row.item), nextCursor: page.nextCursor };
  });

  app.get('/stats', {
    schema: {
      tags: ['sla'], security: [{ bearer: [] }], summary: 'Supervisor board: open work, breaches, response times',
      response: { 200: Type.Record(Type.String(), Type.Unknown()), ...problemResponses },
    },
    preHandler: app.authorize(['supervisor']),
  }, async () => supervisorStats(pool, timeZone));
};

export default slaRoutes;
