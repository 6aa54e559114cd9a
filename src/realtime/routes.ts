import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { STAFF } from '../auth/roles.js';
import type { Pool } from '../db/pool.js';
import { decodeCursor, toPage } from '../http/cursor.js';
import { CategorySchema, Page, PageQuery, PrioritySchema, UnitTypeSchema, Uuid, problemResponses } from '../http/schemas.js';
import { listUndeliveredOffers } from './sql.js';

export interface RealtimeRoutesOptions {
  pool: Pool;
}

const UndeliveredOffer = Type.Object({
  assignment: Type.Ref('Assignment'),
  ticket: Type.Object({ id: Uuid, number: Type.String(), category: CategorySchema, priority: PrioritySchema }),
  unit: Type.Object({ id: Uuid, callsign: Type.String(), type: UnitTypeSchema }),
});

/** What dispatchers need to see of delivery receipts (the receipts themselves arrive over the socket). */
const realtimeRoutes: FastifyPluginAsyncTypebox<RealtimeRoutesOptions> = async (app, { pool }) => {
  app.get('/assignments/undelivered', {
    schema: {
      tags: ['dispatch'], security: [{ bearer: [] }],
      summary: 'Live offers no unit device has acknowledged yet, oldest first',
      querystring: Type.Object(PageQuery, { additionalProperties: false }),
      response: { 200: Page(UndeliveredOffer), ...problemResponses },
    },
    preHandler: app.authorize(STAFF),
  }, async (request) => {
    const limit = request.query.limit ?? 50;
    const after = decodeCursor(request.query.cursor, ['time', 'uuid']) as [string, string] | null;
    const rows = await listUndeliveredOffers(pool, { after, limit });
    const page = toPage(rows, limit, (row) => row.key);
    return { items: page.items.map((row) => row.item), nextCursor: page.nextCursor };
  });
};

export default realtimeRoutes;
