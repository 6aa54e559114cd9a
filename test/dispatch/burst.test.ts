import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { build, createUser, listen, spawnProcess, type Child, type Listener, type TestContext } from '../helper.js';
import { Crews, expectCleanHistory, idleUnitsWithWork } from './burst.js';
import { desk } from './support.js';

let ctx: TestContext;
let worker: Child;
let crews: Crews;
let dispatcher: Listener;

beforeAll(async () => {
  // The reconciler runs once at start only: every ticket must be placed by the jobs that its
  // own changes queue, with no periodic repair to cover for a lost one.
  const env = { RECONCILE_INTERVAL_MS: '600000' };
  ctx = await build({ env });
  worker = await spawnProcess(ctx, ['worker'], env);
  crews = new Crews(await desk(ctx));
  dispatcher = await listen(ctx.system.url!, (await createUser(ctx, 'dispatcher')).token);
});
afterAll(async () => {
  crews?.close();
  dispatcher?.close();
  await worker?.stop();
  await ctx?.close();
});

/**
 * With answers paused, the system must come to rest with no free unit beside work it may take.
 * Checked again on each event (placing work raises them) until it holds, or no event comes.
 */
async function expectNoWorkLeftLying(): Promise<void> {
  for (;;) {
    const after = Math.max(0, ...dispatcher.events.map((e) => e.seq));
    if ((await idleUnitsWithWork(ctx)).length === 0) return;
    const moved = await dispatcher.waitFor((e) => e.seq > after).then(() => true, () => false);
    if (!moved) {
      expect(await idleUnitsWithWork(ctx)).toEqual([]);
      return;
    }
  }
}

describe('a burst of calls', () => {
  it('100 tickets, 10 units, two worker processes: freed units take waiting work, none holds two, all end resolved', async () => {
    await crews.enlist(ctx, { power: 6, water: 4 });
    const filing = crews.file({ power: 60, water: 40 });
    for (const checkpoint of [25, 50, 75]) {
      await crews.resolvedAtLeast(checkpoint);
      await crews.pause();
      await expectNoWorkLeftLying();
      crews.resume();
    }
    const ids = await filing;
    await crews.resolvedAtLeast(ids.length);

    expect(crews.problems).toEqual([]);
    await expectCleanHistory(ctx, ids);
  }, 240_000);
});
