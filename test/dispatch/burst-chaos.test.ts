import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, spawnProcess, type Child, type TestContext } from '../helper.js';
import { Crews, expectCleanHistory } from './burst.js';
import { desk, loseRedisData } from './support.js';

let ctx: TestContext;
let survivor: Child;
let doomed: Child;
let crews: Crews;

beforeAll(async () => {
  // API in this process; the queues, relay and reconciler only in two separate worker processes.
  ctx = await build({ roles: ['api'] });
  doomed = await spawnProcess(ctx, ['worker']);
  survivor = await spawnProcess(ctx, ['worker']);
  crews = new Crews(await desk(ctx));
});
afterAll(async () => {
  crews?.close();
  await doomed?.stop();
  await survivor?.stop();
  await ctx?.close();
});

describe('a burst of calls through failures', () => {
  it('ends with every ticket resolved after a worker is SIGKILLed and Redis loses its data mid-burst', async () => {
    await crews.enlist(ctx, { power: 6, water: 4 });
    const filing = crews.file({ power: 60, water: 40 });

    await crews.resolvedAtLeast(25);
    // Killed without warning: its active jobs, its relay leadership and its locks just stop.
    await doomed.stop('SIGKILL');
    expect(doomed.process.signalCode).toBe('SIGKILL');

    await crews.resolvedAtLeast(50);
    await loseRedisData(ctx);

    const ids = await filing;
    await crews.resolvedAtLeast(ids.length);
    expect(crews.problems).toEqual([]);
    await expectCleanHistory(ctx, ids);
  }, 240_000);
});
