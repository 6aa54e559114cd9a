import { createMatcher, type Analysis, type Hit } from './matcher.js';

export type Category = 'police' | 'water' | 'power' | 'gas' | 'heating' | 'repair' | 'unclassified';
export type Domain = 'police' | 'utility' | 'unknown';
export type Priority = 'P1' | 'P2' | 'P3';

export const CATEGORIES: readonly Category[] = ['police', 'water', 'power', 'gas', 'heating', 'repair', 'unclassified'];
export const PRIORITIES: readonly Priority[] = ['P1', 'P2', 'P3'];

/** Which kind of unit can take a ticket of this category. */
export function domainOf(c: Category): Domain {
  if (c === 'police') return 'police';
  return c === 'unclassified' ? 'unknown' : 'utility';
}

export interface Classification {
  category: Category;
  domain: Domain;
  priority: Priority;
  /** 0..1: how clearly the best category beat the others (low when that is why it is unclassified). */
  confidence: number;
  /** The cues that decided it; "not:" marks a negated or resolved cue, "less:" a softener. */
  matched: string[];
}

export interface Classifier {
  classify(text: string): Classification;
}

/** Below this a dispatcher triages by hand — unless the call is a P1, which is never left unclassified. */
const CONFIDENCE_FLOOR = 0.45;
/** Evidence at which confidence saturates: about two solid cues. */
const CONFIDENCE_SCALE = 2;
/** A negated or resolved problem ("已经没有煤气味了") still says what the call is about, at half weight. */
const SETTLED_SHARE = 0.5;
/** Among problems that are not dangerous, an urgent one outweighs a routine one. */
const URGENCY_BONUS = 1;

type Scores = Map<Category, number>;

const live = (h: Hit) => !h.negated && !h.resolved;

/** One level less urgent. */
const LOWER: Record<Priority, Priority> = { P1: 'P2', P2: 'P3', P3: 'P3' };

/** The priority a hit asks for after negation, reassurance, softening and harm that did not happen. */
function priorityOf(h: Hit, calm: boolean): Priority | null {
  if (!live(h) || !h.cue.priority) return null;
  const priority = h.spared ? LOWER[h.cue.priority] : h.cue.priority;
  return priority === 'P2' && (h.softener || calm) ? 'P3' : priority;
}

function scoreCategories(hits: readonly Hit[]): Scores {
  const scores: Scores = new Map();
  for (const h of hits) {
    if (!h.cue.category) continue;
    const share = h.cue.topic || live(h) ? 1 : SETTLED_SHARE;
    scores.set(h.cue.category, (scores.get(h.cue.category) ?? 0) + h.cue.weight * share);
  }
  return scores;
}

function best(scores: Scores, allowed: (c: Category) => boolean): Category | null {
  let top: Category | null = null;
  for (const [c, s] of scores) if (allowed(c) && s > 0 && (top === null || s > scores.get(top)!)) top = c;
  return top;
}

const dispatchable = (c: Category) => c !== 'unclassified';

/** How directly a danger names its service: its own cue, a word in its clause, or only the rest of the call. */
const enum Directness { Call, Clause, Own }

interface Vote {
  hit: Hit;
  category: Category;
  directness: Directness;
}

/** A danger cue without a service ("着火了") belongs to the service named beside it, else in the call. */
function voteFor(danger: Hit, hits: readonly Hit[], scores: Scores): Vote {
  if (danger.cue.category) return { hit: danger, category: danger.cue.category, directness: Directness.Own };
  const beside = best(scoreCategories(hits.filter((h) => h.clause === danger.clause)), dispatchable);
  if (beside) return { hit: danger, category: beside, directness: Directness.Clause };
  const category = best(scores, dispatchable) ?? danger.cue.fallback ?? 'police';
  return { hit: danger, category, directness: Directness.Call };
}

function confidenceOf(category: Category, scores: Scores): number {
  const own = scores.get(category) ?? 0;
  if (own === 0) return 0;
  const rival = Math.max(0, ...[...scores].filter(([c]) => c !== category).map(([, s]) => s));
  return Math.sqrt(own / (own + rival)) * (1 - Math.exp(-own / CONFIDENCE_SCALE));
}

interface Decision {
  category: Category;
  priority: Priority;
  /** The hits that count towards the decision. */
  deciding: Hit[];
}

/**
 * Two problems in one call: any danger wins. Among dangers, the one that names its service most
 * directly decides ("一股煤气味" over "叫不醒" beside a fallen-over word), then the best-evidenced service.
 */
function decideDanger(hits: readonly Hit[], scores: Scores, calm: boolean): Decision | null {
  const dangers = hits.filter((h) => priorityOf(h, calm) === 'P1');
  if (dangers.length === 0) return null;
  const votes = dangers.map((h) => voteFor(h, hits, scores));
  const score = (v: Vote) => scores.get(v.category) ?? 0;
  const { category } = votes.reduce((a, b) => (b.directness > a.directness || (b.directness === a.directness && score(b) > score(a)) ? b : a));
  const deciding = hits.filter((h) => h.cue.category === category || votes.some((v) => v.hit === h && v.category === category));
  return { category, priority: 'P1', deciding };
}

function decideRoutine(hits: readonly Hit[], scores: Scores, calm: boolean): Decision {
  const urgent = new Set(hits.filter((h) => priorityOf(h, calm) === 'P2').map((h) => h.cue.category));
  const effective: Scores = new Map([...scores].map(([c, s]) => [c, s + (urgent.has(c) ? URGENCY_BONUS : 0)]));
  const category = best(effective, () => true) ?? 'unclassified';
  const deciding = hits.filter((h) => h.cue.category === category);
  const priority = deciding.some((h) => priorityOf(h, calm) === 'P2') ? 'P2' : 'P3';
  return { category, priority, deciding };
}

function describe(deciding: readonly Hit[], calmedBy: readonly string[]): string[] {
  const labels = [...deciding]
    .sort((a, b) => a.start - b.start)
    .flatMap((h) => [
      // A topic stays the topic when negated ("没有煤气味" is still about gas); only problems flip.
      h.cue.topic || live(h) ? h.label : `not:${h.label}`,
      ...(h.softener && live(h) && h.cue.priority === 'P2' ? [`less:${h.softener}`] : []),
      ...(h.spared && live(h) ? [`less:${h.spared}`] : []),
    ]);
  return [...new Set([...labels, ...calmedBy.map((m) => `less:${m}`)])];
}

function decide(analysis: Analysis): Classification {
  const { hits } = analysis;
  // An old event, a question, or a partial fault is not urgent; danger still is.
  const calmedBy = analysis.calm;
  const calm = calmedBy.length > 0;
  const scores = scoreCategories(hits);
  const danger = decideDanger(hits, scores, calm);
  const decision = danger ?? decideRoutine(hits, scores, calm);
  const confidence = confidenceOf(decision.category, scores);
  const unclassified = !danger && (decision.category === 'unclassified' || confidence < CONFIDENCE_FLOOR);
  const category = unclassified ? 'unclassified' : decision.category;
  const calmed = decision.priority === 'P3' && decision.deciding.some((h) => h.cue.priority === 'P2' && live(h));
  return {
    category,
    domain: domainOf(category),
    priority: unclassified ? 'P3' : decision.priority,
    confidence: Number(confidence.toFixed(3)),
    matched: describe(decision.deciding, calmed ? calmedBy : []),
  };
}

/** Loads the lexicon and the segmenter (a few hundred ms); classify() is then pure and fast. */
export function createClassifier(): Classifier {
  const matcher = createMatcher();
  return { classify: (text: string) => decide(matcher.analyse(text)) };
}
