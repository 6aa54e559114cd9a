import type { DispatchResult } from './dispatch.js';
import type { FanoutResult } from './fanout.js';
import type { IntakeResult } from './intake.js';
import { GOALS } from './plan.js';
import type { SlaResult } from './sla.js';
import { round } from './stats.js';

export interface Measured {
  quick: boolean;
  intake: IntakeResult;
  dispatch: DispatchResult;
  sla: SlaResult;
  fanout: FanoutResult;
}

/** The document of CONTRACT §8, figures rounded, with pass/fail per goal. */
export function resultsJson(m: Measured, cpus: number) {
  const { peakRssMb: intakeRss, ...intake } = m.intake;
  const { peakRssMb: dispatchRss, ...dispatch } = m.dispatch;
  const { peakRssMb: slaRss, ...sla } = m.sla;
  const { peakRssMb: fanoutRss, ...fanout } = m.fanout;
  return {
    date: new Date().toISOString(),
    node: process.version,
    cpus,
    // A --quick run only proves the bench works; its figures are not the system's.
    quick: m.quick,
    intake: rounded(intake),
    dispatch: rounded(dispatch),
    sla: rounded(sla),
    fanout: rounded(fanout),
    peakRssMb: rounded({ intake: intakeRss, dispatch: dispatchRss, sla: slaRss, fanout: fanoutRss }),
    goals: {
      intakeRatio: { goal: `>= ${GOALS.intakeRatioMin}`, pass: m.intake.ratio >= GOALS.intakeRatioMin },
      dispatchP50: { goal: `<= ${GOALS.dispatchP50RatioMax}x`, pass: m.dispatch.p50Ratio <= GOALS.dispatchP50RatioMax },
      dispatchP99: { goal: `<= ${GOALS.dispatchP99RatioMax}x`, pass: m.dispatch.p99Ratio <= GOALS.dispatchP99RatioMax },
      slaP99: { goal: `<= ${GOALS.slaP99LateMsMax} ms`, pass: m.sla.p99LateMs <= GOALS.slaP99LateMsMax },
      fanoutRatio: { goal: `<= ${GOALS.fanoutRatioMax}x`, pass: m.fanout.ratio <= GOALS.fanoutRatioMax },
    },
  };
}

export type Results = ReturnType<typeof resultsJson>;

/** Numbers to 2 decimals (ratios, ms) at most; nested objects likewise. */
function rounded<T extends object>(value: T): T {
  return JSON.parse(JSON.stringify(value, (_key, v: unknown) => (typeof v === 'number' ? round(v, 2) : v))) as T;
}

/** The table printed at the end of the run: figure, its raw limit, the ratio, the goal. */
export function table(r: Results): string {
  const pass = (ok: boolean) => (ok ? 'pass' : 'FAIL');
  const rows: string[][] = [
    ['figure', 'measured', 'raw limit', 'ratio', 'goal', ''],
    ['intake tickets/s', fmt(r.intake.ticketsPerSec), `${fmt(r.intake.minimalHttpPerSec)} minimal HTTP`, fmt(r.intake.ratio, 2),
      r.goals.intakeRatio.goal, pass(r.goals.intakeRatio.pass)],
    ['  plain pg inserts/s', fmt(r.intake.rawInsertsPerSec), '', '', '', ''],
    [`dispatch p50 ms (${r.dispatch.ratePerSec}/s, ${r.dispatch.units} units)`, fmt(r.dispatch.p50Ms, 1),
      `${fmt(r.dispatch.rawRoundTripMs, 2)} insert RTT`, fmt(r.dispatch.p50Ratio, 1), r.goals.dispatchP50.goal, pass(r.goals.dispatchP50.pass)],
    ['dispatch p99 ms', fmt(r.dispatch.p99Ms, 1), '', fmt(r.dispatch.p99Ratio, 1), r.goals.dispatchP99.goal, pass(r.goals.dispatchP99.pass)],
    ['  unloaded p50 ms (one by one, 4/s)', fmt(r.dispatch.floorP50Ms, 1), '',
      fmt(r.dispatch.floorP50Ms / r.dispatch.rawRoundTripMs, 1), '', ''],
    ['  of which routed / delivered p50 ms', `${fmt(r.dispatch.routedP50Ms)} / ${fmt(r.dispatch.deliveredP50Ms)}`, '', '', '', ''],
    [`SLA lateness p50 ms (${r.sla.liveTimers} timers)`, fmt(r.sla.p50LateMs, 1), '', '', '', ''],
    ['SLA lateness p99 ms', fmt(r.sla.p99LateMs, 1), '', '', r.goals.slaP99.goal, pass(r.goals.slaP99.pass)],
    [`fan-out last socket ms (${r.fanout.sockets})`, fmt(r.fanout.lastReceivedMs, 1), `${fmt(r.fanout.bareLastMs, 1)} bare Socket.IO`,
      fmt(r.fanout.ratio, 2), r.goals.fanoutRatio.goal, pass(r.goals.fanoutRatio.pass)],
    ['peak RSS MB intake/dispatch/sla/fan-out',
      [r.peakRssMb.intake, r.peakRssMb.dispatch, r.peakRssMb.sla, r.peakRssMb.fanout].map((mb) => fmt(mb)).join(' / '), '', '', '', ''],
  ];
  const widths = rows[0]!.map((_, col) => Math.max(...rows.map((row) => row[col]!.length)));
  return rows.map((row) => row.map((cell, col) => cell.padEnd(widths[col]!)).join('  ').trimEnd()).join('\n');
}

const fmt = (value: number, digits = 0) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');
