/** Nearest-rank percentile (p in 0..100) of unsorted samples; NaN when there are none. */
export function percentile(samples: readonly number[], p: number): number {
  if (samples.length === 0) return Number.NaN;
  const sorted = [...samples].sort((a, b) => a - b);
  const rank = Math.ceil((p / 100) * sorted.length);
  return sorted[Math.min(sorted.length, Math.max(1, rank)) - 1]!;
}

export const median = (samples: readonly number[]): number => percentile(samples, 50);

/** Rounds for the report: figures carry no more precision than the machine gives them. */
export function round(value: number, digits = 1): number {
  if (!Number.isFinite(value)) return value;
  const scale = 10 ** digits;
  return Math.round(value * scale) / scale;
}

/** Runs `work` over `items` with at most `limit` in flight; results keep the input order. */
export async function pooled<T, R>(items: readonly T[], limit: number, work: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  const lane = async () => {
    while (next < items.length) {
      const index = next++;
      results[index] = await work(items[index]!, index);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
  return results;
}

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/**
 * Calls `send(i)` for i in 0..count-1 at `ratePerSec` on a fixed schedule, whatever the answers
 * do (open loop: a slow server must not slow the callers down and hide its own lateness).
 * Resolves when every call has settled.
 */
export async function paced(count: number, ratePerSec: number, send: (i: number) => Promise<void>): Promise<void> {
  const start = performance.now();
  const calls: Promise<void>[] = [];
  for (let i = 0; i < count; i++) {
    const wait = start + (i * 1000) / ratePerSec - performance.now();
    if (wait > 1) await sleep(wait);
    calls.push(send(i));
  }
  await Promise.all(calls);
}

/** Waits for a condition that events make true: they call poke(); wait() says whether it held in time. */
export function waiter(done: () => boolean): { wait(timeoutMs: number): Promise<boolean>; poke(): void } {
  let wake: (() => void) | null = null;
  return {
    poke: () => { if (wake && done()) wake(); },
    wait: (timeoutMs) => new Promise<boolean>((resolve) => {
      if (done()) return resolve(true);
      const timer = setTimeout(() => { wake = null; resolve(false); }, timeoutMs);
      wake = () => { clearTimeout(timer); wake = null; resolve(true); };
    }),
  };
}
