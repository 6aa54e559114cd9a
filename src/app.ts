import AjvCompiler from '@fastify/ajv-compiler';
import rateLimit from '@fastify/rate-limit';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import { randomUUID } from 'node:crypto';
import authPlugin from './auth/plugin.js';
import authRoutes, { UserSchema } from './auth/routes.js';
import classifyRoutes from './classify/routes.js';
import assignmentRoutes from './dispatch/routes.js';
import { installProblemHandlers } from './http/problem.js';
import { ProblemSchema } from './http/schemas.js';
import opsRoutes from './ops/routes.js';
import realtimeRoutes from './realtime/routes.js';
import type { Services } from './services.js';
import slaRoutes, { PolicySchema } from './sla/routes.js';
import ticketRoutes from './tickets/routes.js';
import { AssignmentSchema, TicketSchema } from './tickets/schemas.js';
import unitRoutes, { UnitSchema } from './units/routes.js';

export const BODY_LIMIT = 64 * 1024;

export const OPENAPI_INFO = {
  title: 'Livelihood 110 API',
  description: 'One number for the police and the utilities: tickets, classification, dispatch, SLA.',
  version: '1.0.0',
};

/**
 * Query strings and path params are text, so "limit=3" must become 3; a JSON body already has
 * its types, and a wrong one is a 400 (CONTRACT §2), not something to coerce into shape.
 */
function validatorsByPart(external: Parameters<ReturnType<typeof AjvCompiler>>[0]) {
  const options = { removeAdditional: false, allErrors: true } as const;
  const body = AjvCompiler()(external, { customOptions: { ...options, coerceTypes: false } });
  const rest = AjvCompiler()(external, { customOptions: { ...options, coerceTypes: 'array' } });
  return (route: Parameters<typeof body>[0]) => (route.httpPart === 'body' ? body : rest)(route);
}

/** The Fastify instance every app here starts from: logging, request ids, validation, problem details. */
function createBaseApp(s: Services) {
  const app = Fastify({
    loggerInstance: s.logger as FastifyBaseLogger,
    bodyLimit: BODY_LIMIT,
    genReqId: (request) => {
      const given = request.headers['x-request-id'];
      return typeof given === 'string' && /^[\w-]{1,100}$/.test(given) ? given : randomUUID();
    },
    schemaController: { compilersFactory: { buildValidator: validatorsByPart } },
    return503OnClosing: true,
  }).withTypeProvider<TypeBoxTypeProvider>();

  installProblemHandlers(app);
  // Bodies are JSON only (CONTRACT §2): without Fastify's text/plain parser such a body is a 415.
  app.removeContentTypeParser('text/plain');
  // Shared schemas live at the root so every route module (and the OpenAPI document) resolves them.
  for (const schema of [ProblemSchema, UserSchema, UnitSchema, AssignmentSchema, TicketSchema, PolicySchema]) app.addSchema(schema);
  // Fastify closes the connections idle when close() begins; one whose request was still running
  // would then be kept alive for its full keep-alive time, holding the shutdown past the
  // supervisor's patience. Its answer says so, and the connection ends with it.
  let closing = false;
  app.addHook('preClose', async () => { closing = true; });
  app.addHook('onSend', async (request, reply) => {
    reply.header('x-request-id', request.id);
    if (closing) reply.header('connection', 'close');
  });
  app.addHook('onResponse', async (request, reply) => {
    s.metrics.httpDuration.observe(
      { method: request.method, route: request.routeOptions.url ?? 'unknown', status: String(reply.statusCode) },
      reply.elapsedTime / 1000);
  });
  return app;
}

/** Health and metrics only: what a worker-only process serves. */
export async function buildOpsApp(s: Services): Promise<FastifyInstance> {
  const app = createBaseApp(s);
  await app.register(opsRoutes, { pool: s.pool, redis: s.redis, metrics: s.metrics });
  return app;
}

/** Builds the HTTP app from its plugins. It never listens: main.ts and the tests own that. */
export async function buildApp(s: Services): Promise<FastifyInstance> {
  const app = createBaseApp(s);
  await app.register(swagger, {
    openapi: {
      openapi: '3.0.3',
      info: OPENAPI_INFO,
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', bearerFormat: 'JWT' } } },
    },
    refResolver: { buildLocalReference: (json, _baseUri, _fragment, i) => String(json.$id ?? `def-${i}`) },
  });
  await app.register(swaggerUi, { routePrefix: '/docs' });
  app.get('/openapi.json', { schema: { hide: true } }, async () => app.swagger());

  await app.register(rateLimit, {
    global: false,
    redis: s.redis,
    nameSpace: `${s.config.redisPrefix}:ratelimit:`,
    // Login must keep working while Redis is down; the limit simply lapses meanwhile.
    skipOnError: true,
  });
  await app.register(authPlugin, { secret: s.config.jwtSecret });
  await app.register(opsRoutes, { pool: s.pool, redis: s.redis, metrics: s.metrics });

  await app.register(async (v1) => {
    await v1.register(authRoutes, { pool: s.pool });
    await v1.register(classifyRoutes, { classifier: s.classifier });
    await v1.register(unitRoutes, { pool: s.pool, runInTx: s.runInTx, dispatch: s.dispatch });
    await v1.register(ticketRoutes, { pool: s.pool, tickets: s.tickets, dispatch: s.dispatch });
    await v1.register(assignmentRoutes, { dispatch: s.dispatch });
    await v1.register(realtimeRoutes, { pool: s.pool });
    await v1.register(slaRoutes, { pool: s.pool, timeZone: s.config.ticketTimeZone });
  }, { prefix: '/v1' });

  return app;
}
