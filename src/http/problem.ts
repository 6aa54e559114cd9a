import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

export type ProblemCode =
  | 'validation_failed' | 'unauthorized' | 'forbidden' | 'not_found' | 'conflict'
  | 'idempotency_key_reused' | 'invalid_transition' | 'payload_too_large' | 'rate_limited'
  | 'unavailable' | 'unsupported_media_type' | 'internal';

const TITLES: Record<number, string> = {
  400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found', 405: 'Method Not Allowed',
  409: 'Conflict', 413: 'Payload Too Large', 415: 'Unsupported Media Type', 422: 'Unprocessable Content',
  429: 'Too Many Requests', 500: 'Internal Server Error', 503: 'Service Unavailable',
};

export interface FieldError {
  path: string;
  message: string;
}

/** The one error type handlers throw; the error handler renders it as RFC 9457 problem details. */
export class Problem extends Error {
  constructor(
    readonly status: number,
    readonly code: ProblemCode,
    readonly detail: string,
    readonly errors?: FieldError[],
  ) {
    super(detail);
  }
}

export const badRequest = (detail: string, errors?: FieldError[]) => new Problem(400, 'validation_failed', detail, errors);
export const unauthorized = (detail = 'A valid bearer token is required') => new Problem(401, 'unauthorized', detail);
export const forbidden = (detail = 'Your role may not do this') => new Problem(403, 'forbidden', detail);
export const notFound = (what: string) => new Problem(404, 'not_found', `${what} not found`);
export const conflict = (detail: string) => new Problem(409, 'conflict', detail);
export const invalidTransition = (detail: string) => new Problem(409, 'invalid_transition', detail);

interface ProblemBody {
  type: string;
  title: string;
  status: number;
  detail: string;
  code: ProblemCode;
  instance?: string;
  errors?: FieldError[];
}

export function sendProblem(reply: FastifyReply, problem: Problem): FastifyReply {
  const body: ProblemBody = {
    type: `https://livelihood110.example/problems/${problem.code.replaceAll('_', '-')}`,
    title: TITLES[problem.status] ?? 'Error',
    status: problem.status,
    detail: problem.detail,
    code: problem.code,
    instance: reply.request.url,
  };
  if (problem.errors) body.errors = problem.errors;
  return reply.code(problem.status).type('application/problem+json').send(body);
}

/** Maps Fastify's own errors (bad JSON, body limit, content type, schema) to our problems. */
function fromFastify(error: FastifyError): Problem | null {
  if (error.validation) {
    const errors = error.validation.map((item) => ({
      path: fieldPath(error.validationContext, item.instancePath, item.params),
      message: item.message ?? 'is invalid',
    }));
    return badRequest(`Request ${error.validationContext ?? 'input'} is invalid`, errors);
  }
  switch (error.code) {
    case 'FST_ERR_CTP_INVALID_JSON_BODY':
    case 'FST_ERR_CTP_EMPTY_JSON_BODY':
      return badRequest('Body is not valid JSON');
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return new Problem(413, 'payload_too_large', 'Body is larger than 64 KiB');
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return new Problem(415, 'unsupported_media_type', 'Send application/json');
  }
  // Plugins signal with a bare status (the rate limiter throws a plain Error with statusCode 429).
  if (error.statusCode && error.statusCode >= 400 && error.statusCode < 500) {
    return new Problem(error.statusCode, CODE_OF_STATUS[error.statusCode] ?? 'validation_failed', error.message);
  }
  return null;
}

const CODE_OF_STATUS: Partial<Record<number, ProblemCode>> = {
  401: 'unauthorized', 403: 'forbidden', 404: 'not_found', 409: 'conflict', 413: 'payload_too_large',
  415: 'unsupported_media_type', 429: 'rate_limited',
};

function fieldPath(context: string | undefined, instancePath: string, params: Record<string, unknown>): string {
  const missing = typeof params.missingProperty === 'string' ? `/${params.missingProperty}` : '';
  const extra = typeof params.additionalProperty === 'string' ? `/${params.additionalProperty}` : '';
  return `${context ?? 'body'}${instancePath}${missing}${extra}`;
}

/**
 * Installs the single error and not-found handlers: every 4xx/5xx leaves as problem+json.
 */
export function installProblemHandlers(app: FastifyInstance): void {
  app.setErrorHandler((error: FastifyError | Problem, request: FastifyRequest, reply: FastifyReply) => {
    if (error instanceof Problem) return sendProblem(reply, error);
    const mapped = fromFastify(error);
    if (mapped) return sendProblem(reply, mapped);
    // The schemas accept any JSON string, but PostgreSQL text and jsonb cannot hold U+0000.
    if (PG_NUL_CODES.has((error as { code?: string }).code ?? '')) {
      return sendProblem(reply, badRequest('Text must not contain the NUL character (\\u0000)'));
    }
    if (isUnavailable(error)) {
      request.log.warn({ err: error }, 'dependency unavailable');
      return sendProblem(reply, new Problem(503, 'unavailable', 'A dependency is unavailable; try again shortly'));
    }
    request.log.error({ err: error }, 'unhandled error');
    return sendProblem(reply, new Problem(500, 'internal', `Something went wrong; quote request id ${request.id}`));
  });
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, notFound(`Route ${request.method} ${request.url.split('?')[0]}`)));
}

/** U+0000 refused: in a text column (22021), in a jsonb value such as an audit entry's details (22P05). */
const PG_NUL_CODES = new Set(['22021', '22P05']);

const UNAVAILABLE_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'ETIMEDOUT', 'EPIPE', '57P01', '57P03', '08006', '08001']);

function isUnavailable(error: unknown): boolean {
  const { code, message } = error as { code?: string; message?: string };
  if (code && UNAVAILABLE_CODES.has(code)) return true;
  return /Connection terminated|timeout exceeded when trying to connect|Stream isn't writeable|Connection is closed/i.test(message ?? '');
}
