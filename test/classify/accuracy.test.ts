import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClassifier, type Classifier } from '../../src/classify/classifier.js';
import { evaluate, loadSamples, type Evaluation } from '../../src/classify/evaluate.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const HELDOUT = here('../fixtures/classify/heldout.tsv');
/** Two more blind authors' calls; never trained on, but since used to choose the classifier's settings. */
const FRESH = here('../fixtures/classify/heldout-fresh.tsv');
/** Two later blind authors' calls (text-g, relay-h), measured once on the classifier that was then current. */
const FRESH2 = here('../fixtures/classify/heldout-fresh2.tsv');
/** Two blind authors' calls written after the first tuning of 2026-12-04; never tuned on. */
const FRESH3 = here('../fixtures/classify/heldout-fresh3.tsv');
/** Two blind authors' calls written after the second tuning of 2026-12-04; never tuned on. */
const FRESH4 = here('../fixtures/classify/heldout-fresh4.tsv');
/** Two blind authors' calls written after the last tuning of 2026-12-04; never tuned on. */
const FRESH5 = here('../fixtures/classify/heldout-fresh5.tsv');
/** Two more blind authors' calls, read after scoring: their misses chose lexicon entries. Never trained on. */
const VALIDATION_ROUND4 = here('../fixtures/classify/validation-round4.tsv');
/** Two blind authors' calls written with those, sealed until the final measurement of 2026-12-04's fourth round. */
const FRESH6 = here('../fixtures/classify/heldout-fresh6.tsv');
// The shared sample lives beside the repository, not in it.
const SHARED_SAMPLE = here('../../../shared/classifier-sample.tsv');

const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function summary(name: string, ev: Evaluation): string {
  return `${name}: ${ev.total} calls, category ${pct(ev.categoryAccuracy)}, priority exact ${pct(ev.priorityExact)}, ` +
    `P1 recall ${pct(ev.p1Recall)} of ${ev.p1Total}, P1 unclassified ${ev.p1Unclassified}, misses ${ev.misses.length}`;
}

let classifier: Classifier;

beforeAll(() => {
  classifier = createClassifier();
});

/** Fewer calls than this and the figures below mean little: an empty or truncated file must fail. */
const MIN_HELDOUT_CALLS = 200;

describe('classifier accuracy on held-out calls (never used for tuning)', () => {
  let ev: Evaluation;

  beforeAll(() => {
    ev = evaluate(loadSamples(HELDOUT), classifier);
    console.log(summary('held-out', ev));
  });

  it(`has at least ${MIN_HELDOUT_CALLS} held-out calls to measure on`, () => {
    expect(ev.total).toBeGreaterThanOrEqual(MIN_HELDOUT_CALLS);
  });

  // Issue 2's floor for classifier v1.
  it('gets at least 90 % of categories right', () => {
    expect(ev.categoryAccuracy).toBeGreaterThanOrEqual(0.9);
  });

  it('never leaves a P1 call unclassified', () => {
    expect(ev.p1Unclassified).toBe(0);
  });

  it('catches at least 95 % of P1 calls as P1 (issue 2)', () => {
    expect(ev.p1Recall).toBeGreaterThanOrEqual(0.95);
  });

  issueSixTargets(() => ev, {
    category: { when: '96.5 %', met: false },
    p1Recall: { when: '98.6 %, 72 of 73', met: false },
    priority: { when: '86.2 %', met: true },
  });
});

interface Target {
  /** The figure when last measured, for the test's name. */
  when: string;
  /** Whether it held then. */
  met: boolean;
}

/**
 * Issue 6's targets. One not met when last measured stays as `it.fails`: it keeps measuring, and
 * fails the suite the day the target is reached, so it is then turned into a plain `it`. The
 * bounds themselves are the issue's and stay as they are.
 */
function issueSixTargets(evaluation: () => Evaluation, targets: { category: Target; p1Recall: Target; priority: Target }): void {
  const test = (t: Target) => (t.met ? it : it.fails);
  test(targets.category)(`gets at least 97 % of categories right (issue 6; ${targets.category.when} when last measured)`, () => {
    expect(evaluation().categoryAccuracy).toBeGreaterThanOrEqual(0.97);
  });
  test(targets.p1Recall)(`catches at least 99 % of P1 calls as P1 (issue 6; ${targets.p1Recall.when} when last measured)`, () => {
    expect(evaluation().p1Recall).toBeGreaterThanOrEqual(0.99);
  });
  test(targets.priority)(`gets at least 85 % of priorities exactly right (issue 6; ${targets.priority.when} when last measured)`, () => {
    expect(evaluation().priorityExact).toBeGreaterThanOrEqual(0.85);
  });
}

const FRESH_SETS = [
  {
    name: 'validation (fresh blind 1)',
    path: FRESH,
    targets: { category: { when: '98.2 %', met: true }, p1Recall: { when: '100 % of 179', met: true }, priority: { when: '92.8 %', met: true } },
  },
  {
    name: 'fresh blind 2',
    path: FRESH2,
    targets: { category: { when: '97.5 %', met: true }, p1Recall: { when: '98.3 % of 178', met: false }, priority: { when: '85.7 %', met: true } },
  },
  {
    name: 'fresh blind 3',
    path: FRESH3,
    targets: { category: { when: '96.5 %', met: false }, p1Recall: { when: '100 % of 154', met: true }, priority: { when: '89.7 %', met: true } },
  },
  {
    name: 'fresh blind 4',
    path: FRESH4,
    targets: { category: { when: '98.6 %', met: true }, p1Recall: { when: '99.4 % of 156', met: true }, priority: { when: '91.2 %', met: true } },
  },
  {
    name: 'fresh blind 5',
    path: FRESH5,
    targets: { category: { when: '96.6 %', met: false }, p1Recall: { when: '99.4 % of 156', met: true }, priority: { when: '90.5 %', met: true } },
  },
  {
    name: 'validation, round 4',
    path: VALIDATION_ROUND4,
    targets: { category: { when: '95.5 %', met: false }, p1Recall: { when: '98.6 % of 143', met: false }, priority: { when: '86.6 %', met: true } },
  },
  {
    name: 'fresh blind 6',
    path: FRESH6,
    targets: { category: { when: '97.1 %', met: true }, p1Recall: { when: '99.4 % of 154', met: true }, priority: { when: '92.4 %', met: true } },
  },
];

describe.each(FRESH_SETS)('classifier accuracy on $name calls (written blind, never trained on)', ({ name, path, targets }) => {
  let ev: Evaluation;

  beforeAll(() => {
    ev = evaluate(loadSamples(path), classifier);
    console.log(summary(name, ev));
  });

  it(`has at least ${MIN_HELDOUT_CALLS} calls to measure on`, () => {
    expect(ev.total).toBeGreaterThanOrEqual(MIN_HELDOUT_CALLS);
  });

  // Issue 2's floors, which hold here too.
  it('gets at least 90 % of categories right and catches at least 95 % of P1 calls as P1', () => {
    expect(ev.categoryAccuracy).toBeGreaterThanOrEqual(0.9);
    expect(ev.p1Recall).toBeGreaterThanOrEqual(0.95);
  });

  it('never leaves a P1 call unclassified', () => {
    expect(ev.p1Unclassified).toBe(0);
  });

  issueSixTargets(() => ev, targets);
});

describe('classifier accuracy on every never-read set together (held-out and fresh blind 2 to 6)', () => {
  let ev: Evaluation;

  beforeAll(() => {
    ev = evaluate([HELDOUT, FRESH2, FRESH3, FRESH4, FRESH5, FRESH6].flatMap((path) => loadSamples(path)), classifier);
    console.log(summary('never read, pooled', ev));
  });

  it('never leaves a P1 call unclassified', () => {
    expect(ev.p1Unclassified).toBe(0);
  });

  issueSixTargets(() => ev, {
    category: { when: '97.2 % of 3,229', met: true },
    p1Recall: { when: '99.2 %, 864 of 871', met: true },
    priority: { when: '89.6 %', met: true },
  });
});

describe('classifier accuracy on the shared labelling sample', () => {
  it.skipIf(!existsSync(SHARED_SAMPLE))('gets at least 90 % of categories right', () => {
    const ev = evaluate(loadSamples(SHARED_SAMPLE), classifier);
    console.log(summary('shared sample', ev));
    expect(ev.categoryAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
