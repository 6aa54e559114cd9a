import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

// CONTRACT §5 in OpenAPI path syntax, with the methods each path must document.
const CONTRACT_ROUTES: Record<string, string[]> = {
  '/v1/auth/login': ['post'], '/v1/users': ['post'], '/v1/units': ['get', 'post'], '/v1/units/{id}': ['get'],
  '/v1/units/{id}/status': ['put'], '/v1/units/{id}/location': ['put'], '/v1/classify': ['post'],
  '/v1/tickets': ['get', 'post'], '/v1/tickets/{id}': ['get', 'patch'], '/v1/tickets/{id}/cancel': ['post'],
  '/v1/tickets/{id}/merge': ['post'], '/v1/tickets/{id}/assign': ['post'], '/v1/tickets/{id}/close': ['post'],
  '/v1/assignments/{id}/accept': ['post'], '/v1/assignments/{id}/decline': ['post'], '/v1/assignments/{id}/progress': ['post'],
  '/v1/sla/policies': ['get'], '/v1/sla/policies/{category}/{priority}': ['put'], '/v1/sla/breaches': ['get'],
  '/v1/stats': ['get'], '/health/live': ['get'], '/health/ready': ['get'], '/metrics': ['get'],
};

describe('API documentation', () => {
  it('GET /openapi.json is an OpenAPI 3 document of every contract route', async () => {
    const response = await api(ctx)('GET', '/openapi.json');
    expect(response.status).toBe(200);
    expect(response.body.openapi).toMatch(/^3\./);
    const documented = Object.fromEntries(Object.entries(response.body.paths as Record<string, object>).map(([path, ops]) => [path, Object.keys(ops).sort()]));
    for (const [path, methods] of Object.entries(CONTRACT_ROUTES)) expect({ path, methods: documented[path] }).toEqual({ path, methods });
  });

  it('documents the bearer scheme on secured routes and problem details on errors', async () => {
    const { body } = await api(ctx)('GET', '/openapi.json');
    expect(body.components.securitySchemes.bearer).toMatchObject({ type: 'http', scheme: 'bearer' });
    const createTicket = body.paths['/v1/tickets'].post;
    expect(createTicket.security).toEqual([{ bearer: [] }]);
    expect(createTicket.responses['4XX'].content['application/json'].schema.$ref).toBe('#/components/schemas/Problem');
  });

  it('GET /docs serves the Swagger UI page', async () => {
    const response = await api(ctx)('GET', '/docs');
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.body).toMatch(/swagger-ui/i);
  });
});
