/**
 * Measures the classifier.
 *   npx tsx scripts/eval-classify.ts                held-out figures (the honest ones), then tuning
 *   npx tsx scripts/eval-classify.ts --quiet        the same without the list of misses
 *   npx tsx scripts/eval-classify.ts --tuning-only  tuning figures only; the sealed held-out file is not opened
 *   npx tsx scripts/eval-classify.ts --validate     model selection: train on every tuning section but the
 *                                                    last ("dev", by a blind author), score rules, model and
 *                                                    both on it; the held-out file is not opened
 *   npx tsx scripts/eval-classify.ts --corrections  on operator corrections stored in PostgreSQL
 *   npx tsx scripts/eval-classify.ts --file <path>  on any labelled file (e.g. a new blind set); nothing else is opened
 */
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import { CATEGORIES, createClassifier, type Classifier, type ClassifierOptions } from '../src/classify/classifier.js';
import { evaluate, loadSamples, loadSections, sampleFrom, type Evaluation, type Sample } from '../src/classify/evaluate.js';

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

/** The one place that knows how to reach the database; to be replaced by the config module. */
function connect(): pg.Client {
  return new pg.Client({ connectionString: process.env.DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/livelihood110' });
}

/** Corrections whose label is not a known category or priority are skipped and counted. */
async function loadCorrections(): Promise<{ samples: Sample[]; skipped: number }> {
  const client = connect();
  await client.connect();
  try {
    const { rows } = await client.query<{ text: string | null; category: string; priority: string }>(
      'SELECT text, category, priority FROM classification_corrections ORDER BY created_at',
    );
    const samples = rows.flatMap((r) => sampleFrom(r.category, r.priority, r.text ?? '') ?? []);
    return { samples, skipped: rows.length - samples.length };
  } finally {
    await client.end();
  }
}

/** Trains on the earlier sections only and scores on the last, the honest estimate for unseen phrasing. */
function validate(): void {
  const sections = loadSections(fixture('tuning'));
  const dev = sections.at(-1)!;
  const train = sections.slice(0, -1).flatMap((s) => s.samples);
  console.log(`train on ${sections.slice(0, -1).map((s) => s.name).join(' + ')} (${train.length}), validate on ${dev.name} (${dev.samples.length})`);
  for (const use of ['rules', 'model', 'combined'] as const) {
    const { classifier, loadMs } = timed({ training: train, use });
    const ev = evaluate(dev.samples, classifier);
    console.log(`\n--- ${use} (load ${loadMs.toFixed(0)} ms, ${(perCallMs(classifier, dev.samples) * 1000).toFixed(0)} µs/call)`);
    console.log(headline(ev));
    if (use === 'combined') printPerClass(ev);
    if (!quiet && (use === 'combined' || process.argv.includes('--all-misses'))) {
      console.log(`misses (${ev.misses.length}):`);
      printMisses(ev);
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
  if (heldout.length === 0) console.log('\n=== held-out: empty (the sealed set goes in test/fixtures/classify/heldout.tsv) ===');
  else report('held-out (never tuned on)', evaluate(heldout, classifier));
  const tuning = reportTuning(classifier);
  console.log(`\nload ${loadMs.toFixed(0)} ms, classify ${(perCallMs(classifier, [...heldout, ...tuning]) * 1000).toFixed(0)} µs/call`);
}

main().catch((err: unknown) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
