import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import { Type } from 'typebox';
import { CategorySchema, PrioritySchema, problemResponses } from '../http/schemas.js';
import type { Classifier } from './classifier.js';

export interface ClassifyRoutesOptions {
  classifier: Classifier;
}

const classifyRoutes: FastifyPluginAsyncTypebox<ClassifyRoutesOptions> = async (app, { classifier }) => {
  app.post('/classify', {
    schema: {
      tags: ['classify'], summary: 'Suggest category and priority for a call; no side effects', security: [{ bearer: [] }],
      body: Type.Object({ text: Type.String({ minLength: 1, maxLength: 4000 }) }, { additionalProperties: false }),
      response: {
        200: Type.Object({
          category: CategorySchema, domain: Type.Enum(['police', 'utility', 'unknown'] as const), priority: PrioritySchema,
          confidence: Type.Number({ minimum: 0, maximum: 1 }), matched: Type.Array(Type.String()),
        }),
        ...problemResponses,
      },
    },
    preHandler: app.authorize(['admin', 'operator', 'dispatcher', 'supervisor']),
  }, async (request) => classifier.classify(request.body.text));
};

export default classifyRoutes;
