import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parseSamples, type Sample } from './evaluate.js';
import { CATEGORIES, PRIORITIES, type Category, type Priority } from './labels.js';
import type { Token } from './tokenize.js';

/**
 * Two multinomial logistic regressions trained from the labelled calls in tuning.tsv, so
 * that phrasing the hand lexicon never saw still lands in the right service: one for the category,
 * and one for the priority given the category (a gas call and a police call are urgent for
 * different words).
 *
 * Logistic regression rather than naive Bayes: it weighs overlapping features (a word and the
 * character n-grams inside it) jointly instead of counting the same evidence several times, so its
 * probabilities are far less extreme and can be added to the lexicon's evidence on one scale.
 * Written here rather than taken from npm: the training loop is a few dozen lines, and the
 * packages that offer it bring dense matrices, unsuited to 40 000 sparse features.
 *
 * Features: jieba words (after variant folding), Han character 1-, 2- and 3-grams within a clause
 * (they survive typos and segmenter mistakes a whole word does not), and lowercase English words
 * and word pairs — each counted once per call.
 */

/** The labelled calls the shipped model learns from, found from this file's place in src/ (the app runs its TypeScript through tsx). */
export const TRAINING_FILE = fileURLToPath(new URL('../../test/fixtures/classify/tuning.tsv', import.meta.url));

export function loadTrainingSamples(path = TRAINING_FILE): Sample[] {
  return parseSamples(readFileSync(path, 'utf8'), path);
}

const HAN = /^\p{Script=Han}+$/u;
/** Longest character n-gram taken from a run of Han characters. */
const MAX_GRAM = 3;

/**
 * English words that carry no service: the many police calls in English had taught the model that
 * "my", "please" and "me" mean police, so "please call me back about my account" came back a police
 * P1. They are dropped as if unsaid, so their neighbours pair across them ("call me back" gives
 * "call back"). That cost at most 0.1 point on any validation figure. Pronouns that point at a
 * person ("he", "she") and words like "back" ("power is back") or "not" carry meaning and stay.
 */
const ENGLISH_FILLER: ReadonlySet<string> = new Set([
  'a', 'an', 'the', 'i', 'me', 'my', 'you', 'your', 'to', 'of', 'is', 'am', 'are', 'about', 'for', 'and', 'please', 'hello', 'hi',
]);

/** Feature strings of one call: "w:" word, "g:" Han character n-gram, "e:" English word pair. */
export function featuresOf(tokens: readonly Token[]): string[] {
  const out = new Set<string>();
  let run: string[] = [];
  let runClause = -1;
  let previousEnglish: Token | null = null;
  const flush = () => {
    for (let n = 1; n <= MAX_GRAM; n += 1) {
      for (let i = 0; i + n <= run.length; i += 1) out.add(`g:${run.slice(i, i + n).join('')}`);
    }
    run = [];
  };
  for (const t of tokens) {
    if (ENGLISH_FILLER.has(t.text)) continue;
    out.add(`w:${t.text}`);
    const han = HAN.test(t.text);
    if (han) {
      if (t.clause !== runClause) flush();
      run.push(...t.text);
      runClause = t.clause;
    } else {
      flush();
      if (previousEnglish?.clause === t.clause) out.add(`e:${previousEnglish.text} ${t.text}`);
    }
    previousEnglish = han ? null : t;
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
  /** Its logarithm. */
  categoryLogs: Record<Category, number>;
  /** P(priority | category, call). */
  priorityProbs(c: Category): Record<Priority, number>;
  /** How many of the call's features the model has seen; 0 means it knows nothing about the call. */
  known: number;
  /** Up to three features of the call that most favour a category, shown to operators as the model's cues. */
  top(c: Category): string[];
}

/** The most likely priority of a call of this category. */
export function likeliestPriority(p: Prediction, c: Category): Priority {
  const probs = p.priorityProbs(c);
  return PRIORITIES.reduce((a, b) => (probs[b] > probs[a] ? b : a));
}

export interface Model {
  predict(features: readonly string[]): Prediction;
}

/** A linear scorer over sparse binary features: row `id` of `weights` holds one weight per class. */
export interface Linear {
  ids: Map<string, number>;
  weights: Float64Array;
  bias: Float64Array;
  classes: number;
}

interface Row {
  features: readonly string[];
  label: number;
}

/** Training settings, chosen by leave-one-section-out over the blind-written tuning sections. */
const EPOCHS = 6;
const LEARNING_RATE = 0.4;
/** A gradient below this is treated as zero. */
const SETTLED = 1e-3;
/** L2 penalty: keeps a feature seen in one call from deciding calls on its own. */
const L2 = 2e-4;

/** A fixed-seed generator, so the same training file always gives the same model. */
function mulberry32(seed: number): () => number {
  let a = seed;
  return () => {
    a = (a + 0x6d2b79f5) | 0;
    let t = Math.imul(a ^ (a >>> 15), 1 | a);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function shuffleInPlace<T>(items: T[], random: () => number): void {
  for (let i = items.length - 1; i > 0; i -= 1) {
    const j = Math.floor(random() * (i + 1));
    [items[i], items[j]] = [items[j]!, items[i]!];
  }
}

/** Log-probabilities from raw scores, computed so a tiny probability does not round to log(0). */
function logSoftmax(scores: Float64Array): Float64Array {
  let max = -Infinity;
  for (const s of scores) max = Math.max(max, s);
  let sum = 0;
  for (const s of scores) sum += Math.exp(s - max);
  const log = max + Math.log(sum);
  return scores.map((s) => s - log);
}

const softmax = (scores: Float64Array): Float64Array => logSoftmax(scores).map(Math.exp);

/** Raw class scores; a call's features are scaled to unit length so long calls are not surer. */
function scoresOf(model: Linear, ids: ArrayLike<number>): Float64Array {
  const scores = Float64Array.from(model.bias);
  const x = ids.length === 0 ? 0 : 1 / Math.sqrt(ids.length);
  for (let i = 0; i < ids.length; i += 1) {
    const row = ids[i]! * model.classes;
    for (let k = 0; k < model.classes; k += 1) scores[k]! += model.weights[row + k]! * x;
  }
  return scores;
}

/** The ids of the features the model knows. */
function idsOf(model: Linear, features: readonly string[]): number[] {
  const ids: number[] = [];
  for (const f of features) {
    const id = model.ids.get(f);
    if (id !== undefined) ids.push(id);
  }
  return ids;
}

/** Softmax regression by AdaGrad on the log loss, with the L2 penalty applied where a call touches. */
function trainLinear(rows: readonly Row[], classes: number): Linear {
  const ids = new Map<string, number>();
  const encoded = rows.map((row) => ({
    ids: Int32Array.from(row.features, (f) => ids.get(f) ?? ids.set(f, ids.size).get(f)!),
    label: row.label,
  }));
  const model: Linear = { ids, weights: new Float64Array(ids.size * classes), bias: new Float64Array(classes), classes };
  const { weights } = model;
  const squares = new Float64Array(ids.size * classes).fill(1e-8);
  const biasSquares = new Float64Array(classes).fill(1e-8);
  const random = mulberry32(110);
  for (let epoch = 0; epoch < EPOCHS; epoch += 1) {
    shuffleInPlace(encoded, random);
    for (const row of encoded) {
      const p = softmax(scoresOf(model, row.ids));
      const x = row.ids.length === 0 ? 0 : 1 / Math.sqrt(row.ids.length);
      for (let k = 0; k < classes; k += 1) {
        const g = p[k]! - (k === row.label ? 1 : 0);
        // A class the call already scores right teaches next to nothing; skipping it saves time at load.
        if (Math.abs(g) < SETTLED) continue;
        biasSquares[k]! += g * g;
        model.bias[k]! -= (LEARNING_RATE * g) / Math.sqrt(biasSquares[k]!);
        const gx = g * x;
        for (let i = 0; i < row.ids.length; i += 1) {
          const at = row.ids[i]! * classes + k;
          const gf = gx + L2 * weights[at]!;
          squares[at]! += gf * gf;
          weights[at]! -= (LEARNING_RATE * gf) / Math.sqrt(squares[at]!);
        }
      }
    }
  }
  return model;
}

/** Up to three words or multi-character n-grams of the call that most favour the category. */
function topFeatures(model: Linear, features: readonly string[], category: Category): string[] {
  const k = CATEGORIES.indexOf(category);
  // A feature's pull towards the category: its weight there over its best weight elsewhere.
  const pull = (id: number) => {
    const w = model.weights.subarray(id * model.classes, (id + 1) * model.classes);
    return w[k]! - Math.max(...w.filter((_, i) => i !== k));
  };
  return features
    .filter((f) => model.ids.has(f) && [...featureLabel(f)].length > 1)
    .map((f) => ({ f, pull: pull(model.ids.get(f)!) }))
    .filter((x) => x.pull > 0)
    .sort((a, b) => b.pull - a.pull)
    .map((x) => featureLabel(x.f))
    .filter((label, i, all) => all.indexOf(label) === i && !all.some((other, j) => j < i && other.includes(label)))
    .slice(0, 3);
}

/** The features the priority model sees: the call's own, and its words paired with the category. */
function priorityFeatures(features: readonly string[], c: Category): string[] {
  // Pairing whole words only: as good as pairing every n-gram, at half the training time.
  const words = features.filter((f) => f.startsWith('w:') || f.startsWith('e:'));
  return [`c:${c}`, ...features, ...words.map((f) => `${c}|${f}`)];
}

export interface TrainingRow {
  features: readonly string[];
  category: Category;
  priority: Priority;
}

/** What training learns: the two regressions, plain data that can be stored and loaded again. */
export interface Weights {
  category: Linear;
  priority: Linear;
}

/** Learns P(category | call) and P(priority | category, call). */
export function trainWeights(samples: readonly TrainingRow[]): Weights {
  return {
    category: trainLinear(samples.map((s) => ({ features: s.features, label: CATEGORIES.indexOf(s.category) })), CATEGORIES.length),
    priority: trainLinear(
      samples.map((s) => ({ features: priorityFeatures(s.features, s.category), label: PRIORITIES.indexOf(s.priority) })),
      PRIORITIES.length,
    ),
  };
}

const byClass = <T>(values: ArrayLike<number>, names: readonly T[]) =>
  Object.fromEntries(names.map((n, i) => [n, values[i]!])) as Record<string & T, number>;

/** Classifies with trained weights, fresh or loaded. */
export function modelOf({ category: categoryModel, priority: priorityModel }: Weights): Model {
  const predict = (features: readonly string[]): Prediction => {
    const ids = idsOf(categoryModel, features);
    const logs = logSoftmax(scoresOf(categoryModel, ids));
    const categoryLogs = byClass(logs, CATEGORIES);
    const categoryProbs = byClass(logs.map(Math.exp), CATEGORIES);
    const category = CATEGORIES.reduce((a, b) => (categoryProbs[b] > categoryProbs[a] ? b : a));
    const priorityProbs = (c: Category) =>
      byClass(softmax(scoresOf(priorityModel, idsOf(priorityModel, priorityFeatures(features, c)))), PRIORITIES);
    const top = (c: Category) => topFeatures(categoryModel, features, c);
    return { category, categoryProbs, categoryLogs, priorityProbs, known: ids.length, top };
  };

  return { predict };
}
