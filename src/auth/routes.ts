import '@fastify/rate-limit';
import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { Type } from 'typebox';
import type { Pool } from '../db/pool.js';
import { Problem, badRequest, conflict } from '../http/problem.js';
import { Uuid, problemResponses } from '../http/schemas.js';
import { decoyHash, hashPassword, verifyPassword } from './password.js';
import { USER_ROLES } from './roles.js';
import { findUserByUsername, insertUser } from './sql.js';

export const UserSchema = Type.Object({
  id: Uuid,
  username: Type.String(),
  role: Type.Enum(USER_ROLES),
  unitId: Type.Union([Uuid, Type.Null()]),
}, { $id: 'User' });

const Credentials = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100 }),
  password: Type.String({ minLength: 1, maxLength: 200 }),
}, { additionalProperties: false });

const NewUser = Type.Object({
  username: Type.String({ minLength: 1, maxLength: 100, pattern: '^\\S(.*\\S)?$' }),
  password: Type.String({ minLength: 8, maxLength: 200 }),
  role: Type.Enum(USER_ROLES),
  unitId: Type.Optional(Type.Union([Uuid, Type.Null()])),
}, { additionalProperties: false });

const LOGIN_WINDOW = { timeWindow: '1 minute' };

export interface AuthRoutesOptions {
  pool: Pool;
}

const authRoutes: FastifyPluginAsyncTypebox<AuthRoutesOptions> = async (app, { pool }) => {
  // Guessing is slowed both per address and per account, whichever trips first. app.rateLimit()
  // handlers would not do: the plugin runs only the first of them per request.
  const limiters = [
    app.createRateLimit({ ...LOGIN_WINDOW, max: 30, keyGenerator: (request) => `ip:${request.ip}` }),
    app.createRateLimit({
      ...LOGIN_WINDOW, max: 10,
      keyGenerator: (request) => `user:${String((request.body as { username?: unknown } | undefined)?.username ?? '').toLowerCase()}`,
    }),
  ];
  const limitLogin = async (request: FastifyRequest, reply: FastifyReply) => {
    // Every attempt counts against both keys, so spreading guesses does not reset either.
    for (const result of await Promise.all(limiters.map((limit) => limit(request)))) {
      if (result.isAllowed || !result.isExceeded) continue;
      reply.header('retry-after', result.ttlInSeconds);
      throw new Problem(429, 'rate_limited', `Too many login attempts; retry in ${result.ttlInSeconds} s`);
    }
  };

  app.post('/auth/login', {
    schema: {
      tags: ['auth'], summary: 'Exchange credentials for a 12 h bearer token', body: Credentials,
      response: { 200: Type.Object({ token: Type.String(), user: Type.Ref('User') }), ...problemResponses },
    },
    preHandler: limitLogin,
  }, async (request) => {
    const { username, password } = request.body;
    const user = await findUserByUsername(pool, username);
    const valid = await verifyPassword(password, user?.passwordHash ?? await decoyHash);
    if (!user || !valid) throw new Problem(401, 'unauthorized', 'Unknown username or wrong password');
    const identity = { id: user.id, username: user.username, role: user.role, unitId: user.unitId };
    return { token: app.signToken(identity), user: identity };
  });

  app.post('/users', {
    schema: {
      tags: ['auth'], summary: 'Create a user (admin)', security: [{ bearer: [] }], body: NewUser,
      response: { 201: Type.Ref('User'), ...problemResponses },
    },
    preHandler: app.authorize(['admin']),
  }, async (request, reply) => {
    const { username, password, role } = request.body;
    const unitId = request.body.unitId ?? null;
    if ((role === 'responder') !== (unitId !== null)) {
      throw badRequest('A responder belongs to exactly one unit; other roles to none',
        [{ path: 'body/unitId', message: role === 'responder' ? 'is required for a responder' : 'is only for responders' }]);
    }
    const created = await insertUser(pool, { username, passwordHash: await hashPassword(password), role, unitId });
    if (created === 'unknown_unit') throw badRequest('unitId names no unit', [{ path: 'body/unitId', message: 'unknown unit' }]);
    if (!created) throw conflict(`Username ${username} is taken`);
    const { passwordHash: _omit, createdAt: _created, ...user } = created;
    return reply.code(201).send(user);
  });
};

export default authRoutes;
