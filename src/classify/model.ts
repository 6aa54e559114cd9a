import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSamples, type Sample } from './evaluate.js';
import { CATEGORIES, PRIORITIES, type Category, type Priority } from './labels.js';
import type { Token } from './tokenize.js';

/**
 * A multinomial naive Bayes text classifier, trained at load from the labelled calls in tuning.tsv,
 * so that phrasing the hand lexicon never saw still lands in the right service.
 *
 * Written here rather than taken from npm: wink-naive-bayes-text-classifier (the maintained small
 * option) pulls in wink-nlp and an English language model we would not use, has no types, and
 * would still need our own Chinese features; the counting itself is a few dozen lines.
 *
 * Features: jieba words (after variant folding), Han character unigrams and bigrams within a
 * clause, and lowercase English words — each counted once per call (binarised counts are the
 * stronger choice for short texts).
 */

/** The labelled calls the shipped model learns from; resolved from this file, so it works from src/ or dist/. */
export const TRAINING_FILE = fileURLToPath(new URL('../../test/fixtures/classify/tuning.tsv', import.meta.url));

export function loadTrainingSamples(path = TRAINING_FILE): Sample[] {
  return parseSamples(readFileSync(path, 'utf8'), path);
}

const HAN = /^\p{Script=Han}+$/u;

/** Feature strings of one call: "w:" word, "c:" character, "b:" character bigram. */
export interface FeatureKinds { words: boolean; chars: boolean; bigrams: boolean }
const ALL_KINDS: FeatureKinds = { words: true, chars: true, bigrams: true };

export function featuresOf(tokens: readonly Token[], kinds: FeatureKinds = ALL_KINDS): string[] {
  const out = new Set<string>();
  let run = '';
  let runClause = -1;
  const flush = () => {
    const chars = [...run];
    chars.forEach((c, i) => {
      if (kinds.chars) out.add(`c:${c}`);
      if (kinds.bigrams && i > 0) out.add(`b:${chars[i - 1]}${c}`);
    });
    run = '';
  };
  for (const t of tokens) {
    if (kinds.words || !HAN.test(t.text)) out.add(`w:${t.text}`);
    if (HAN.test(t.text)) {
      if (t.clause !== runClause) flush();
      run += t.text;
      runClause = t.clause;
    } else flush();
  }
  flush();
  return [...out];
}

/** Shows a feature to an operator: the word or characters, without its kind. */
export const featureLabel = (f: string) => f.slice(2);

export interface Prediction {
  category: Category;
  /** Posterior of each category, summing to 1. */
  categoryProbs: Record<Category, number>;
  /** Its logarithm, computed without underflow (naive Bayes posteriors are very sharp). */
  categoryLogs: Record<Category, number>;
  /** P(priority | category, call) for every category. */
  priorityProbs: Record<Category, Record<Priority, number>>;
  /** How many of the call's features the model has seen; 0 means it knows nothing about the call. */
  known: number;
  /** Up to three features of the call that most favour the predicted category. */
  top: string[];
}

/** The most likely priority of a call of this category. */
export function likeliestPriority(p: Prediction, c: Category): Priority {
  const probs = p.priorityProbs[c];
  return PRIORITIES.reduce((a, b) => (probs[b] > probs[a] ? b : a));
}

export interface Model {
  predict(features: readonly string[]): Prediction;
}

type Label = `${Category}/${Priority}`;

interface Counts {
  docs: number;
  total: number;
  features: Map<string, number>;
}

/** Additive smoothing; below 1 because most features are rare and single counts matter. */
const ALPHA = 0.3;

function logSumExp(logs: readonly number[]): number {
  const max = Math.max(...logs);
  return max + Math.log(logs.reduce((sum, l) => sum + Math.exp(l - max), 0));
}

function softmax(logs: readonly number[]): number[] {
  const max = Math.max(...logs);
  const exps = logs.map((l) => Math.exp(l - max));
  const sum = exps.reduce((a, b) => a + b, 0);
  return exps.map((e) => e / sum);
}

/**
 * Learns P(category, priority | call) as naive Bayes over the joint label: category posteriors
 * are the joint ones summed over priority, and the priority is the best one within the category.
 */
export function trainModel(
  samples: readonly { features: readonly string[]; category: Category; priority: Priority }[],
  alpha = ALPHA,
): Model {
  const ALPHA_ = alpha;
  const vocabulary = new Set<string>();
  const byLabel = new Map<Label, Counts>();
  for (const s of samples) {
    const label: Label = `${s.category}/${s.priority}`;
    const counts = byLabel.get(label) ?? { docs: 0, total: 0, features: new Map() };
    counts.docs += 1;
    for (const f of s.features) {
      vocabulary.add(f);
      counts.features.set(f, (counts.features.get(f) ?? 0) + 1);
      counts.total += 1;
    }
    byLabel.set(label, counts);
  }
  const labels = [...byLabel.keys()];
  const v = vocabulary.size;
  const prior = new Map(labels.map((l) => [l, Math.log(byLabel.get(l)!.docs / samples.length)]));
  // log P(feature | label), and the value for a feature never seen with the label.
  const logLikelihood = new Map(labels.map((l) => {
    const c = byLabel.get(l)!;
    const denominator = Math.log(c.total + ALPHA_ * v);
    const table = new Map([...c.features].map(([f, n]) => [f, Math.log(n + ALPHA_) - denominator]));
    return [l, { table, unseen: Math.log(ALPHA_) - denominator }];
  }));
  const ll = (l: Label, f: string) => {
    const e = logLikelihood.get(l)!;
    return e.table.get(f) ?? e.unseen;
  };
  const categoryOf = (l: Label) => l.split('/')[0] as Category;
  const priorityOf = (l: Label) => l.split('/')[1] as Priority;

  const predict = (features: readonly string[]): Prediction => {
    const known = features.filter((f) => vocabulary.has(f));
    const logJoint = labels.map((l) => known.reduce((sum, f) => sum + ll(l, f), prior.get(l)!));
    const posterior = softmax(logJoint);
    const norm = logSumExp(logJoint);
    const categoryLogs = Object.fromEntries(CATEGORIES.map((c) => {
      const own = logJoint.filter((_, i) => categoryOf(labels[i]!) === c);
      return [c, own.length === 0 ? -Infinity : logSumExp(own) - norm];
    })) as Record<Category, number>;
    const categoryProbs = Object.fromEntries(CATEGORIES.map((c) => [c, 0])) as Record<Category, number>;
    labels.forEach((l, i) => (categoryProbs[categoryOf(l)] += posterior[i]!));
    const category = CATEGORIES.reduce((a, b) => (categoryProbs[b] > categoryProbs[a] ? b : a));
    const priorityProbs = Object.fromEntries(
      CATEGORIES.map((c) => [c, Object.fromEntries(PRIORITIES.map((p) => [p, 0])) as Record<Priority, number>]),
    ) as Record<Category, Record<Priority, number>>;
    labels.forEach((l, i) => (priorityProbs[categoryOf(l)][priorityOf(l)] += posterior[i]! / (categoryProbs[categoryOf(l)] || 1)));
    // A feature's pull towards the category: its best likelihood there over its best elsewhere.
    const mine = labels.filter((l) => categoryOf(l) === category);
    const others = labels.filter((l) => categoryOf(l) !== category);
    const pull = (f: string) => Math.max(...mine.map((l) => ll(l, f))) - Math.max(...others.map((l) => ll(l, f)));
    const top = known
      .filter((f) => !f.startsWith('c:'))
      .map((f) => ({ f, pull: pull(f) }))
      .filter((x) => x.pull > 0)
      .sort((a, b) => b.pull - a.pull)
      .map((x) => featureLabel(x.f))
      .filter((label, i, all) => all.indexOf(label) === i && !all.some((other, j) => j < i && other.includes(label)))
      .slice(0, 3);
    return { category, categoryProbs, categoryLogs, priorityProbs, known: known.length, top };
  };

  return { predict };
}
