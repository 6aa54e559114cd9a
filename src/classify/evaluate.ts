import { readFileSync } from 'node:fs';
import type { Classification, Classifier } from './classifier.js';
import { CATEGORIES, PRIORITIES, type Category, type Priority } from './labels.js';

/** One labelled call: what a careful operator says it is. */
export interface Sample {
  category: Category;
  priority: Priority;
  text: string;
}

export interface Miss {
  sample: Sample;
  got: Classification;
  /** 'category' if the category is wrong (whatever the priority), else 'priority'. */
  kind: 'category' | 'priority';
}

export interface ClassStats {
  precision: number;
  recall: number;
  support: number;
}

export interface Evaluation {
  total: number;
  /** confusion[expected][predicted] = count */
  confusion: Record<Category, Record<Category, number>>;
  perClass: Record<Category, ClassStats>;
  categoryAccuracy: number;
  priorityExact: number;
  p1Total: number;
  /** P1 calls predicted P1, whatever the category. */
  p1Recall: number;
  /** P1 calls that came back unclassified: the one mistake that must never happen. */
  p1Unclassified: number;
  misses: Miss[];
}

function zeroRow(): Record<Category, number> {
  return Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
}

const ratio = (n: number, d: number) => (d === 0 ? 1 : n / d);

/** Scores a classifier on labelled calls; pure apart from calling classify(). */
export function evaluate(samples: readonly Sample[], classifier: Classifier): Evaluation {
  const confusion = Object.fromEntries(CATEGORIES.map((c) => [c, zeroRow()])) as Record<Category, Record<Category, number>>;
  const misses: Miss[] = [];
  let categoryHits = 0;
  let priorityHits = 0;
  let p1Total = 0;
  let p1Caught = 0;
  let p1Unclassified = 0;

  for (const sample of samples) {
    const got = classifier.classify(sample.text);
    confusion[sample.category][got.category] += 1;
    const categoryOk = got.category === sample.category;
    const priorityOk = got.priority === sample.priority;
    if (categoryOk) categoryHits += 1;
    if (priorityOk) priorityHits += 1;
    if (sample.priority === 'P1') {
      p1Total += 1;
      if (got.priority === 'P1') p1Caught += 1;
      if (got.category === 'unclassified') p1Unclassified += 1;
    }
    if (!categoryOk || !priorityOk) misses.push({ sample, got, kind: categoryOk ? 'priority' : 'category' });
  }

  const perClass = Object.fromEntries(
    CATEGORIES.map((c) => {
      const predicted = CATEGORIES.reduce((n, e) => n + confusion[e][c], 0);
      const support = CATEGORIES.reduce((n, p) => n + confusion[c][p], 0);
      return [c, { precision: ratio(confusion[c][c], predicted), recall: ratio(confusion[c][c], support), support }];
    }),
  ) as Record<Category, ClassStats>;

  return {
    total: samples.length,
    confusion,
    perClass,
    categoryAccuracy: ratio(categoryHits, samples.length),
    priorityExact: ratio(priorityHits, samples.length),
    p1Total,
    p1Recall: ratio(p1Caught, p1Total),
    p1Unclassified,
    misses,
  };
}

function isCategory(v: string): v is Category {
  return (CATEGORIES as readonly string[]).includes(v);
}

function isPriority(v: string): v is Priority {
  return (PRIORITIES as readonly string[]).includes(v);
}

/** A sample from untyped fields, or null if the label or priority is not one we know. */
export function sampleFrom(category: string, priority: string, text: string): Sample | null {
  const trimmed = text.trim();
  return isCategory(category) && isPriority(priority) && trimmed !== '' ? { category, priority, text: trimmed } : null;
}

/** A named run of samples: a fixture file may mark where each author's calls begin. */
export interface Section {
  name: string;
  /** Written by an author who never saw the classifier: the honest test of unseen phrasing. */
  blind: boolean;
  samples: Sample[];
}

/**
 * Parses `label\tpriority\ttext`, after an optional header line; a malformed line is an error, not a skip.
 * A line starting with "#" opens a section ("# dev: written blind"), named by its first word.
 */
export function parseSections(tsv: string, source = 'tsv'): Section[] {
  const lines = tsv.split(/\r?\n/);
  // The header is optional: blind sets arrive without one.
  const offset = lines[0]?.trim() === 'label\tpriority\ttext' ? 1 : 0;
  lines.splice(0, offset);
  const sections: Section[] = [{ name: '', blind: false, samples: [] }];
  lines.forEach((line, i) => {
    if (line.trim() === '') return;
    if (line.startsWith('#')) {
      const header = line.slice(1).trim();
      sections.push({ name: header.split(/[\s:]/)[0] ?? '', blind: /\bblind\b/.test(header), samples: [] });
      return;
    }
    const [label = '', priority = '', ...rest] = line.split('\t');
    const sample = sampleFrom(label, priority, rest.join('\t'));
    if (!sample) throw new Error(`${source}:${i + 1 + offset}: malformed line`);
    sections.at(-1)!.samples.push(sample);
  });
  return sections.filter((s) => s.samples.length > 0);
}

/** All samples of a fixture, whatever section they are in. */
export function parseSamples(tsv: string, source = 'tsv'): Sample[] {
  return parseSections(tsv, source).flatMap((s) => s.samples);
}

/** Reads a fixture file in the `label\tpriority\ttext` format. */
export function loadSamples(path: string): Sample[] {
  return parseSamples(readFileSync(path, 'utf8'), path);
}

/** Reads a fixture file split into its "#" sections. */
export function loadSections(path: string): Section[] {
  return parseSections(readFileSync(path, 'utf8'), path);
}
