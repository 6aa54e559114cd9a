/**
 * Measures the classifier.
 *   npx tsx scripts/eval-classify.ts                held-out, validation and fresh blind figures, then tuning
 *   npx tsx scripts/eval-classify.ts --quiet        the same without the list of misses
 *   npx tsx scripts/eval-classify.ts --tuning-only  tuning figures only; the sealed held-out file is not opened
 *   npx tsx scripts/eval-classify.ts --validate     model selection: leave one blind-written tuning section
 *                                                    out at a time, train on the rest, score on it, average;
 *                                                    --all-uses also scores rules and model alone;
 *                                                    the held-out file is not opened
 *   npx tsx scripts/eval-classify.ts --corrections  on operator corrections stored in PostgreSQL
 *   npx tsx scripts/eval-classify.ts --file <path>  on any labelled file (e.g. a new blind set); nothing else is opened
 */
import { fileURLToPath } from 'node:url';
import { loadConfig } from '../src/config.js';
import { createPool } from '../src/db/pool.js';
import { CATEGORIES, createClassifier, type Classifier, type ClassifierOptions } from '../src/classify/classifier.js';
import { evaluate, loadSamples, loadSections, sampleFrom, type Evaluation, type Sample, type Section } from '../src/classify/evaluate.js';

const fixture = (name: string) => fileURLToPath(new URL(`../test/fixtures/classify/${name}.tsv`, import.meta.url));
const pct = (x: number) => `${(x * 100).toFixed(1)}%`;

function printConfusion(ev: Evaluation): void {
  const short = (c: string) => c.slice(0, 7).padStart(8);
  console.log(`${'expected \\ got'.padEnd(14)}${CATEGORIES.map(short).join('')}`);
  for (const expected of CATEGORIES) {
    const row = CATEGORIES.map((got) => String(ev.confusion[expected][got] || '.').padStart(8)).join('');
    console.log(`${expected.padEnd(14)}${row}`);
  }
}

function printPerClass(ev: Evaluation): void {
  console.log(`${'class'.padEnd(14)}${'precision'.padStart(10)}${'recall'.padStart(10)}${'n'.padStart(6)}`);
  for (const c of CATEGORIES) {
    const s = ev.perClass[c];
    console.log(`${c.padEnd(14)}${pct(s.precision).padStart(10)}${pct(s.recall).padStart(10)}${String(s.support).padStart(6)}`);
  }
}

function printMisses(ev: Evaluation): void {
  for (const m of ev.misses) {
    const want = `${m.sample.category}/${m.sample.priority}`;
    const got = `${m.got.category}/${m.got.priority}`;
    console.log(`  [${m.kind}] ${want} → ${got} (${m.got.confidence}) ${m.sample.text}  {${m.got.matched.join(', ')}}`);
  }
}

const quiet = process.argv.includes('--quiet');

/** Blind sets written after tuning began. The first has since been used to choose settings. */
const FRESH_SETS = [
  { name: 'heldout-fresh', role: 'validation: settings were chosen on it, no call of it was trained on' },
  { name: 'heldout-fresh2', role: 'written blind after tuning, never tuned on' },
  { name: 'heldout-fresh3', role: 'written blind after the first tuning of 2026-12-04, never tuned on' },
  { name: 'heldout-fresh4', role: 'written blind after the second tuning of 2026-12-04, never tuned on' },
  { name: 'heldout-fresh5', role: 'written blind after the third tuning of 2026-12-04, never tuned on' },
  { name: 'validation-round4', role: 'validation: written blind, then read; its misses chose lexicon entries; never trained on' },
  { name: 'heldout-fresh6', role: 'written blind with validation-round4, sealed until the final measurement' },
];

function headline(ev: Evaluation): string {
  return `category ${pct(ev.categoryAccuracy)}   priority exact ${pct(ev.priorityExact)}   ` +
    `P1 recall ${pct(ev.p1Recall)} of ${ev.p1Total}   P1 unclassified ${ev.p1Unclassified}`;
}

function report(title: string, ev: Evaluation): void {
  console.log(`\n=== ${title}: ${ev.total} calls ===`);
  console.log(headline(ev));
  printConfusion(ev);
  printPerClass(ev);
  if (quiet) return;
  console.log(`misses (${ev.misses.length}):`);
  printMisses(ev);
}

/** The tuning file keeps each author's calls in a "#" section; blind-written ones generalise best. */
function reportTuning(classifier: Classifier): Sample[] {
  const sections = loadSections(fixture('tuning'));
  const all = sections.flatMap((s) => s.samples);
  report('tuning (all sections)', evaluate(all, classifier));
  console.log('\nper section:');
  for (const { name, samples } of sections) console.log(`  ${(name || '(unnamed)').padEnd(14)}${String(samples.length).padStart(5)}  ${headline(evaluate(samples, classifier))}`);
  return all;
}

/** Timing is reported here rather than asserted in tests, where machine load would make it flaky. */
function timed(options?: ClassifierOptions): { classifier: Classifier; loadMs: number } {
  const start = performance.now();
  const classifier = createClassifier(options);
  return { classifier, loadMs: performance.now() - start };
}

function perCallMs(classifier: Classifier, samples: readonly Sample[]): number {
  const rounds = 5;
  const start = performance.now();
  for (let r = 0; r < rounds; r += 1) for (const s of samples) classifier.classify(s.text);
  return (performance.now() - start) / (rounds * samples.length);
}

/** Corrections whose label is not a known category or priority are skipped and counted. */
async function loadCorrections(): Promise<{ samples: Sample[]; skipped: number }> {
  const pool = createPool(loadConfig().databaseUrl, { max: 1, applicationName: 'eval-classify' });
  try {
    const { rows } = await pool.query<{ text: string | null; category: string; priority: string }>(
      'SELECT text, category, priority FROM classification_corrections ORDER BY created_at',
    );
    const samples = rows.flatMap((r) => sampleFrom(r.category, r.priority, r.text ?? '') ?? []);
    return { samples, skipped: rows.length - samples.length };
  } finally {
    await pool.end();
  }
}

const USES = ['rules', 'model', 'combined'] as const;
type Use = (typeof USES)[number];

interface Fold {
  name: string;
  ev: Evaluation;
}

/** Trains on every tuning section but one blind-written one and scores on that one. */
function holdOut(sections: readonly Section[], held: Section, use: Use): Fold & { loadMs: number; usPerCall: number } {
  const train = sections.filter((s) => s !== held).flatMap((s) => s.samples);
  const { classifier, loadMs } = timed({ training: train, use });
  return { name: held.name, ev: evaluate(held.samples, classifier), loadMs, usPerCall: perCallMs(classifier, held.samples) * 1000 };
}

const mean = (xs: readonly number[]) => xs.reduce((a, b) => a + b, 0) / xs.length;

function meanHeadline(folds: readonly Fold[]): string {
  const m = (f: (ev: Evaluation) => number) => pct(mean(folds.map((x) => f(x.ev))));
  const unclassified = folds.reduce((n, x) => n + x.ev.p1Unclassified, 0);
  return `category ${m((e) => e.categoryAccuracy)}   priority exact ${m((e) => e.priorityExact)}   ` +
    `P1 recall ${m((e) => e.p1Recall)}   P1 unclassified ${unclassified}`;
}

/**
 * Model selection by leave-one-section-out over the blind-written sections: each is scored by a
 * classifier trained on all the others, and the figures are averaged over sections, so a change
 * must help on phrasing from authors it did not learn from, not just on one author's.
 */
function validate(): void {
  const sections = loadSections(fixture('tuning'));
  const blind = sections.filter((s) => s.blind);
  console.log(`leave one out over ${blind.map((s) => `${s.name} (${s.samples.length})`).join(', ')}`);
  const wanted = process.argv.includes('--all-uses') ? USES : (['combined'] as const);
  for (const use of wanted) {
    const folds = blind.map((held) => holdOut(sections, held, use));
    console.log(`\n--- ${use}`);
    for (const f of folds) console.log(`  ${f.name.padEnd(10)} ${headline(f.ev)}   (load ${f.loadMs.toFixed(0)} ms, ${f.usPerCall.toFixed(0)} µs/call)`);
    console.log(`  ${'mean'.padEnd(10)} ${meanHeadline(folds)}`);
    if (quiet || use !== 'combined') continue;
    for (const f of folds) {
      console.log(`\nmisses on ${f.name} (${f.ev.misses.length}):`);
      printMisses(f.ev);
    }
  }
}

async function main(): Promise<void> {
  if (process.argv.includes('--validate')) return validate();
  const fileAt = process.argv.indexOf('--file');
  if (fileAt >= 0) {
    const path = process.argv[fileAt + 1];
    if (!path) throw new Error('--file needs a path');
    const { classifier, loadMs } = timed();
    const samples = loadSamples(path);
    report(path, evaluate(samples, classifier));
    console.log(`\nload ${loadMs.toFixed(0)} ms, classify ${(perCallMs(classifier, samples) * 1000).toFixed(0)} µs/call`);
    return;
  }
  const { classifier, loadMs } = timed();
  if (process.argv.includes('--tuning-only')) {
    const tuning = reportTuning(classifier);
    console.log(`\nload ${loadMs.toFixed(0)} ms, classify ${(perCallMs(classifier, tuning) * 1000).toFixed(0)} µs/call`);
    return;
  }
  if (process.argv.includes('--corrections')) {
    const { samples, skipped } = await loadCorrections();
    report('operator corrections', evaluate(samples, classifier));
    if (skipped > 0) console.log(`skipped ${skipped} corrections with an unknown category or priority`);
    return;
  }
  const heldout = loadSamples(fixture('heldout'));
  report('held-out (never tuned on)', evaluate(heldout, classifier));
  const fresh = FRESH_SETS.flatMap(({ name, role }) => {
    const samples = loadSamples(fixture(name));
    report(`${name} (${role})`, evaluate(samples, classifier));
    return samples;
  });
  const tuning = reportTuning(classifier);
  console.log(`\nload ${loadMs.toFixed(0)} ms, classify ${(perCallMs(classifier, [...heldout, ...fresh, ...tuning]) * 1000).toFixed(0)} µs/call`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
