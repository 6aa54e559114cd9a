import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { IdParams, problemResponses } from '../http/schemas.js';
import { AssignmentView } from '../tickets/schemas.js';
import type { DispatchService } from './service.js';

export interface AssignmentRoutesOptions {
  dispatch: DispatchService;
}

const base = { tags: ['dispatch'], security: [{ bearer: [] }], params: IdParams, response: { 200: AssignmentView, ...problemResponses } };

/** A responder's answers to its own unit's offers. */
const assignmentRoutes: FastifyPluginAsyncTypebox<AssignmentRoutesOptions> = async (app, { dispatch }) => {
  const responder = app.authorize(['responder']);

  app.post('/assignments/:id/accept', {
    schema: { ...base, summary: 'Accept an offer' },
    preHandler: responder,
  }, async (request) => dispatch.accept(request.params.id, request.user));

  app.post('/assignments/:id/decline', {
    schema: {
      ...base, summary: 'Decline an offer; the ticket re-routes to another unit',
      body: Type.Object({ reason: Type.String({ minLength: 1, maxLength: 1000 }) }, { additionalProperties: false }),
    },
    preHandler: responder,
  }, async (request) => dispatch.decline(request.params.id, request.user, request.body.reason));

  app.post('/assignments/:id/progress', {
    schema: {
      ...base, summary: 'Report en_route, on_scene or resolved',
      body: Type.Object({
        status: Type.Enum(['en_route', 'on_scene', 'resolved'] as const),
        note: Type.Optional(Type.String({ maxLength: 2000 })),
      }, { additionalProperties: false }),
    },
    preHandler: responder,
  }, async (request) => dispatch.progress(request.params.id, request.user, request.body.status, request.body.note ?? null));
};

export default assignmentRoutes;
