import fastifyJwt from '@fastify/jwt';
import type { FastifyReply, FastifyRequest, FastifySchema, preHandlerAsyncHookHandler } from 'fastify';
import fp from 'fastify-plugin';
import { forbidden, unauthorized } from '../http/problem.js';
import type { AuthUser, UserRole } from './roles.js';

declare module '@fastify/jwt' {
  interface FastifyJWT {
    payload: { sub: string; username: string; role: UserRole; unitId: string | null };
    user: AuthUser;
  }
}

declare module 'fastify' {
  interface FastifyInstance {
    /** The one role guard: a preHandler that admits a verified token whose role is listed. */
    authorize(roles: readonly UserRole[]): preHandlerAsyncHookHandler;
    /** Signs a token for a user (12 h, HS256). */
    signToken(user: AuthUser): string;
  }
}

export const TOKEN_TTL_SECONDS = 12 * 3600;

async function verify(request: FastifyRequest): Promise<void> {
  try {
    await request.jwtVerify();
  } catch {
    throw unauthorized();
  }
}

function requiresBearer(schema: FastifySchema | undefined): boolean {
  const security = (schema as { security?: Array<Record<string, unknown>> } | undefined)?.security;
  return security?.some((requirement) => 'bearer' in requirement) ?? false;
}

export default fp<{ secret: string }>(async (app, { secret }) => {
  await app.register(fastifyJwt, {
    secret,
    sign: { algorithm: 'HS256', expiresIn: TOKEN_TTL_SECONDS },
    // Pinning the algorithm refuses tokens that claim "none" or an asymmetric algorithm.
    verify: { algorithms: ['HS256'] },
    formatUser: (payload) => ({ id: payload.sub, username: payload.username, role: payload.role, unitId: payload.unitId }),
  });

  app.decorate('signToken', (user: AuthUser) =>
    app.jwt.sign({ sub: user.id, username: user.username, role: user.role, unitId: user.unitId }));

  // A route that documents a bearer requirement checks the token first, before its body is read
  // or validated: an anonymous caller gets 401, never a 400 that describes the schema.
  app.addHook('onRequest', async (request) => {
    if (requiresBearer(request.routeOptions.schema)) await verify(request);
  });

  app.decorate('authorize', (roles: readonly UserRole[]) => async (request: FastifyRequest, _reply: FastifyReply) => {
    if (!request.user) await verify(request);
    if (!roles.includes(request.user.role)) throw forbidden();
  });
}, { name: 'auth' });
