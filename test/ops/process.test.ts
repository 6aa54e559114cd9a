import { randomUUID } from 'node:crypto';
import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, createUser, spawnProcess, type TestContext } from '../helper.js';

let ctx: TestContext;
beforeAll(async () => { ctx = await build(); });
afterAll(async () => { await ctx?.close(); });

describe('the process', () => {
  it('running api and worker serves, then exits 0 on SIGTERM', async () => {
    const child = await spawnProcess(ctx, ['api', 'worker']);
    const ready = await api({ url: child.url })('GET', '/health/ready');
    expect(ready.status).toBe(200);
    expect(await child.stop('SIGTERM')).toBe(0);
  });

  it('answers a request in flight at SIGTERM, ends its keep-alive connection, and exits 0', async () => {
    const child = await spawnProcess(ctx, ['api']);
    const admin = await createUser(ctx, 'admin');
    const requestId = `shutdown-${randomUUID()}`;
    // The app logs each request as its headers arrive: the signal goes once the request is in.
    let log = '';
    const arrived = new Promise<void>((resolve) => child.process.stdout!.on('data', (chunk: Buffer) => {
      log += chunk.toString();
      if (log.includes(`"reqId":"${requestId}"`)) resolve();
    }));
    const body = JSON.stringify({ username: admin.username, password: admin.password });
    const { hostname, port } = new URL(child.url!);
    const answer = await new Promise<{ status: number; connection: string | undefined }>((resolve, reject) => {
      const request = http.request({
        host: hostname, port, path: '/v1/auth/login', method: 'POST', agent: new http.Agent({ keepAlive: true }),
        headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body), 'x-request-id': requestId },
      }, (response) => {
        response.resume();
        resolve({ status: response.statusCode!, connection: response.headers.connection });
      });
      request.on('error', reject);
      request.write(body.slice(0, 5));
      void arrived.then(() => {
        child.process.kill('SIGTERM');
        request.end(body.slice(5));
      });
    });
    expect(answer).toEqual({ status: 200, connection: 'close' });
    expect(await child.exited).toBe(0);
  });

  it('refuses to start on a bad setting, exiting 1 with the reason', async () => {
    await expect(spawnProcess(ctx, ['api'], { ROLES: 'api,web' }))
      .rejects.toThrow(/process exited \(1\)[\s\S]*configuration refused: ROLES must list api and\/or worker/);
  });
});
