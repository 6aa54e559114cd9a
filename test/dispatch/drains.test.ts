import { describe, expect, it } from 'vitest';
import { CategoryDrains } from '../../src/dispatch/drains.js';

/** A routing pass the test finishes by hand, recording when each began. */
function passes() {
  const started: Array<{ category: string; finish: () => void; fail: (error: Error) => void }> = [];
  const pass = (category: string) => new Promise<void>((resolve, reject) => {
    started.push({ category, finish: resolve, fail: reject });
  });
  return { started, pass };
}

const settled = (promise: Promise<unknown>) => {
  const state = { done: false };
  promise.then(() => { state.done = true; }, () => { state.done = true; });
  return state;
};

describe('routing passes per category', () => {
  it('serves every request that arrives during a pass with one more pass, started after them', async () => {
    const { started, pass } = passes();
    const drains = new CategoryDrains(pass);
    const first = drains.request('power');
    expect(started).toHaveLength(1);
    const late = [drains.request('power'), drains.request('power'), drains.request('power')];
    const lateState = late.map(settled);
    // Those three may have committed after the running pass read the queue: they wait for the next.
    started[0]!.finish();
    await first;
    await Promise.resolve();
    expect(lateState.some((s) => s.done)).toBe(false);
    expect(started).toHaveLength(2);
    started[1]!.finish();
    await Promise.all(late);
    expect(started).toHaveLength(2);
  });

  it('runs categories side by side', () => {
    const { started, pass } = passes();
    const drains = new CategoryDrains(pass);
    void drains.request('power');
    void drains.request('gas');
    expect(started.map((p) => p.category)).toEqual(['power', 'gas']);
  });

  it('fails the requests a failed pass served, and the next request runs a new pass', async () => {
    const { started, pass } = passes();
    const drains = new CategoryDrains(pass);
    const failed = drains.request('water');
    started[0]!.fail(new Error('database gone'));
    await expect(failed).rejects.toThrow('database gone');
    const retried = drains.request('water');
    expect(started).toHaveLength(2);
    started[1]!.finish();
    await expect(retried).resolves.toBeUndefined();
  });
});
