import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createClassifier, type Classifier } from '../../src/classify/classifier.js';
import { evaluate, loadSamples, type Evaluation } from '../../src/classify/evaluate.js';

const here = (path: string) => fileURLToPath(new URL(path, import.meta.url));
const HELDOUT = here('../fixtures/classify/heldout.tsv');
/** Two more blind authors' calls, written after the last tuning and measured once; never tuned on either. */
const FRESH = here('../fixtures/classify/heldout-fresh.tsv');
/** Two later blind authors' calls (text-g, relay-h), measured once on the classifier that was then current. */
const FRESH2 = here('../fixtures/classify/heldout-fresh2.tsv');
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

  // Targets not met yet (see the note on issue 6). `it.fails` keeps measuring them and fails the
  // suite the day one is reached, so it is then turned into a plain `it`. The bounds themselves
  // are the and stay as they are.
  it.fails('gets at least 97 % of categories right (issue 6; 95.4 % when last measured)', () => {
    expect(ev.categoryAccuracy).toBeGreaterThanOrEqual(0.97);
  });

  it.fails('catches at least 99 % of P1 calls as P1 (issue 6; 95.9 % when last measured)', () => {
    expect(ev.p1Recall).toBeGreaterThanOrEqual(0.99);
  });

  it.fails('gets at least 85 % of priorities exactly right (issue 6; 84.6 % when last measured)', () => {
    expect(ev.priorityExact).toBeGreaterThanOrEqual(0.85);
  });
});

const FRESH_SETS = [
  { name: 'fresh blind', path: FRESH, p1RecallWhenMeasured: '96.6 % of 179' },
  { name: 'fresh blind 2', path: FRESH2, p1RecallWhenMeasured: '96.6 % of 178' },
];

describe.each(FRESH_SETS)('classifier accuracy on $name calls (written after the last tuning, never tuned on)', ({ name, path, p1RecallWhenMeasured }) => {
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

  // Issue 6's P1 recall target, not met here either.
  it.fails(`catches at least 99 % of P1 calls as P1 (issue 6; ${p1RecallWhenMeasured} when last measured)`, () => {
    expect(ev.p1Recall).toBeGreaterThanOrEqual(0.99);
  });
});

describe('classifier accuracy on the shared labelling sample', () => {
  it.skipIf(!existsSync(SHARED_SAMPLE))('gets at least 90 % of categories right', () => {
    const ev = evaluate(loadSamples(SHARED_SAMPLE), classifier);
    console.log(summary('shared sample', ev));
    expect(ev.categoryAccuracy).toBeGreaterThanOrEqual(0.9);
  });
});
