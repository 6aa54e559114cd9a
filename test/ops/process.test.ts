import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { api, build, spawnProcess, type TestContext } from '../helper.js';

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

  it('refuses to start on a bad setting, exiting 1 with the reason', async () => {
    await expect(spawnProcess(ctx, ['api'], { ROLES: 'api,web' }))
      .rejects.toThrow(/process exited \(1\)[\s\S]*configuration refused: ROLES must list api and\/or worker/);
  });
});
