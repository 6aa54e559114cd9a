/** How big each phase is. Full size follows CONTRACT §8; --quick only proves the pipeline works. */
export type PhaseName = 'intake' | 'dispatch' | 'sla' | 'fanout';

export interface Plan {
  quick: boolean;
  /** `--only=<phase>`: run one phase, for profiling. */
  only: PhaseName | null;
  intake: { connections: number; durationSec: number; rawClients: number; rawDurationSec: number };
  dispatch: { units: number; ratePerSec: number; durationSec: number; rawSamples: number };
  sla: { liveTimers: number; measured: number; spreadSec: number; assignSec: number };
  fanout: { sockets: number; rounds: number };
}

const FULL: Omit<Plan, 'only'> = {
  quick: false,
  intake: { connections: 50, durationSec: 10, rawClients: 50, rawDurationSec: 5 },
  dispatch: { units: 200, ratePerSec: 100, durationSec: 15, rawSamples: 500 },
  sla: { liveTimers: 100_000, measured: 200, spreadSec: 4, assignSec: 3 },
  fanout: { sockets: 1000, rounds: 20 },
};

const QUICK: Omit<Plan, 'only'> = {
  quick: true,
  intake: { connections: 10, durationSec: 2, rawClients: 10, rawDurationSec: 1 },
  dispatch: { units: 20, ratePerSec: 10, durationSec: 2, rawSamples: 50 },
  sla: { liveTimers: 3_000, measured: 20, spreadSec: 1, assignSec: 2 },
  fanout: { sockets: 50, rounds: 5 },
};

export function planFor(argv: readonly string[]): Plan {
  const only = argv.find((arg) => arg.startsWith('--only='))?.slice('--only='.length) ?? null;
  if (only !== null && !['intake', 'dispatch', 'sla', 'fanout'].includes(only)) throw new Error(`unknown phase ${only}`);
  return { ...(argv.includes('--quick') ? QUICK : FULL), only: only as PhaseName | null };
}

/** The goals of CONTRACT §8. */
export const GOALS = {
  intakeRatioMin: 0.5,
  dispatchP50RatioMax: 8,
  dispatchP99RatioMax: 25,
  slaP99LateMsMax: 100,
  fanoutRatioMax: 2,
};
