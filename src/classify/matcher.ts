import {
  CUES, DIMINISHERS, ENQUIRY, NEGATION_BLOCKERS, NEGATORS, NO_FIRE, PARTIAL, RESOLVED, STALE, UNHURT, UNRESOLVING, VARIANTS,
  type Cue,
} from './cues.js';
import type { Category } from './labels.js';
import { createTokenizer, joinTokens, type Token } from './tokenize.js';

/** A cue found in a call, with what the words around it do to it. */
export interface Hit {
  cue: Cue;
  /** The words that matched, as shown to operators ("煤气+味"). */
  label: string;
  start: number;
  end: number;
  /** Where each part begins: a negator before any of them negates the whole ("电梯里没人被困"). */
  partStarts: number[];
  clause: number;
  /** "没有煤气味", "nobody hurt". */
  negated: boolean;
  /** "已经修好了", "the power is back on": said, but over. */
  resolved: boolean;
  /** The softener ("有点", "a bit") in the same clause, if any. */
  softener: string | null;
  /** "没砸着人", "火倒是没有": the harm this cue warns of did not happen, so it is one level less urgent. */
  spared: string | null;
}

/**
 * calm: an old event, a question about a problem, or only part of a service affected.
 * unhurt / nofire: the harm a cue warns of did not happen (nobody hit, no flames).
 */
type Mark = 'resolved' | 'diminisher' | 'calm' | 'unhurt' | 'nofire';

interface MarkHit {
  mark: Mark;
  label: string;
  start: number;
  end: number;
  clause: number;
  scope: number;
}

export interface Analysis {
  hits: Hit[];
  /** Whole-call modifiers that make a P2 problem routine. */
  calm: string[];
  /** The call's words after folding and variant rewriting, for the statistical model. */
  tokens: Token[];
}

type Role = { kind: 'cue'; cue: Cue } | { kind: 'part'; combo: number; part: number };

interface Occurrence {
  key: string;
  start: number;
  end: number;
}

/** Phrases longer than this many tokens are not looked for. */
const MAX_PHRASE_TOKENS = 8;

const MARKS: readonly [Mark, readonly string[]][] = [
  ['resolved', RESOLVED],
  ['diminisher', DIMINISHERS],
  ['calm', [...STALE, ...ENQUIRY, ...PARTIAL]],
  ['unhurt', UNHURT],
  ['nofire', NO_FIRE],
];

/** Which "it did not happen" mark spares which kind of harm. */
const SPARING: Record<NonNullable<Cue['harm']>, Mark> = { injury: 'unhurt', fire: 'nofire' };

/**
 * Words the segmenter must keep whole. Marks go in too ("有点燃气味" must not become "有|点燃|气味"),
 * except a mark containing a cue word, which would hide that cue ("来电了" hides nothing, "电梯好了" would).
 */
function segmenterWords(): string[] {
  const cueWords = CUES.flatMap((c) => c.parts.flat());
  const longCues = cueWords.filter((w) => [...w].length > 1);
  const marks = MARKS.flatMap(([, list]) => list).filter((mark) => !longCues.some((cue) => mark.includes(cue)));
  return [...cueWords, ...marks];
}

/** Finds every indexed phrase that starts and ends on token boundaries within one clause. */
function findPhrases(tokens: readonly Token[], has: (key: string) => boolean, maxKey: number): Occurrence[] {
  const found: Occurrence[] = [];
  for (let start = 0; start < tokens.length; start += 1) {
    const words: string[] = [];
    for (let end = start + 1; end <= Math.min(tokens.length, start + MAX_PHRASE_TOKENS); end += 1) {
      const token = tokens[end - 1]!;
      if (token.clause !== tokens[start]!.clause) break;
      words.push(token.text);
      const key = joinTokens(words);
      if (key.length > maxKey) break;
      if (has(key)) found.push({ key, start, end });
    }
  }
  return found;
}

/** Longest phrase wins where two overlap: "手机没电" hides "没电", "暖气费" hides "暖气". */
function longestFirst(found: Occurrence[]): Occurrence[] {
  const taken = new Set<number>();
  const kept: Occurrence[] = [];
  const byLength = [...found].sort((a, b) => b.key.length - a.key.length || a.start - b.start);
  for (const occ of byLength) {
    let free = true;
    for (let i = occ.start; i < occ.end && free; i += 1) free = !taken.has(i);
    if (!free) continue;
    for (let i = occ.start; i < occ.end; i += 1) taken.add(i);
    kept.push(occ);
  }
  return kept.sort((a, b) => a.start - b.start);
}

/** Picks one occurrence per combo part, each within `near` tokens of another. */
function matchCombo(cue: Cue, perPart: readonly Occurrence[][]): Occurrence[] | null {
  const chosen: Occurrence[] = [];
  const search = (part: number): boolean => {
    if (part === perPart.length) return true;
    for (const occ of perPart[part] ?? []) {
      const close = chosen.every((c) => c.end - 1 < occ.start || occ.end - 1 < c.start) &&
        (chosen.length === 0 || chosen.some((c) => Math.max(occ.start - c.end, c.start - occ.end) <= cue.near));
      if (!close) continue;
      chosen.push(occ);
      if (search(part + 1)) return true;
      chosen.pop();
    }
    return false;
  };
  return search(0) ? [...chosen].sort((a, b) => a.start - b.start) : null;
}

export interface Matcher {
  analyse(text: string): Analysis;
  /** The call's words alone, without looking for cues: what the model is trained on. */
  tokens(text: string): Token[];
}

/** Compiles the lexicon once; analyse() then only does map look-ups. */
export function createMatcher(): Matcher {
  const tokenizer = createTokenizer(segmenterWords(), VARIANTS);
  const roles = new Map<string, Role[]>();
  const marks = new Map<string, Mark>();
  let maxKey = 0;

  const keyOf = (phrase: string): string => {
    const { key } = tokenizer.phraseKey(phrase);
    maxKey = Math.max(maxKey, key.length);
    return key;
  };
  const addRole = (phrase: string, role: Role) => {
    const key = keyOf(phrase);
    const list = roles.get(key) ?? [];
    if (role.kind === 'cue' && list.some((r) => r.kind === 'cue')) throw new Error(`cue phrase listed twice: ${phrase}`);
    list.push(role);
    roles.set(key, list);
  };

  CUES.forEach((cue, index) => {
    if (cue.parts.length === 1) for (const phrase of cue.parts[0]!) addRole(phrase, { kind: 'cue', cue });
    else cue.parts.forEach((alternatives, part) => alternatives.forEach((p) => addRole(p, { kind: 'part', combo: index, part })));
  });
  for (const [mark, list] of MARKS) for (const phrase of list) marks.set(keyOf(phrase), mark);

  const analyse = (text: string): Analysis => {
    const tokens = tokenizer.tokenize(text);
    const cueOccurrences = longestFirst(findPhrases(tokens, (k) => roles.has(k), maxKey));
    // Only a whole cue hides a negator inside it ("没电"); a combo part ("没有") may still negate.
    const wholeCues = cueOccurrences.filter((o) => roles.get(o.key)!.some((r) => r.kind === 'cue'));
    const covered = new Set(wholeCues.flatMap((o) => range(o.start, o.end)));
    const isNegator = (i: number) => negates(tokens, i, covered);
    const markHits = findMarks(tokens, marks, maxKey, isNegator);

    const found = [...singleHits(cueOccurrences, roles, tokens), ...comboHits(cueOccurrences, roles, tokens)]
      // "现在已经没有了" after a smell is the smell going away, not the gas supply stopping.
      .filter((hit) => !markHits.some((m) => m.mark === 'resolved' && m.start < hit.end && m.end > hit.start));
    const reassured = reassurances(found, markHits, tokens);
    const hits = found.map((hit) => qualify(hit, tokens, markHits, reassured, isNegator));

    return { hits, calm: markHits.filter((m) => m.mark === 'calm').map((m) => m.label), tokens };
  };

  return { analyse, tokens: (text) => tokenizer.tokenize(text) };
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from }, (_, i) => from + i);
}

/** A negator token that is not itself part of a cue, nor followed by "知道"-like words. */
function negates(tokens: readonly Token[], i: number, covered: ReadonlySet<number>): boolean {
  const token = tokens[i];
  if (!token || covered.has(i) || !NEGATORS.has(token.text)) return false;
  const next = tokens[i + 1];
  return !(next && NEGATION_BLOCKERS.has(next.text));
}

function findMarks(
  tokens: readonly Token[],
  marks: ReadonlyMap<string, Mark>,
  maxKey: number,
  isNegator: (i: number) => boolean,
): MarkHit[] {
  return findPhrases(tokens, (k) => marks.has(k), maxKey)
    // "还没修好" is the opposite of a reassurance, and "啥时候能修好" asks for one.
    .filter((o) => !(tokens[o.start - 1]?.clause === tokens[o.start]!.clause && (isNegator(o.start - 1) || hopes(tokens, o, marks))))
    .map((o) => ({
      mark: marks.get(o.key)!,
      label: o.key,
      start: o.start,
      end: o.end,
      clause: tokens[o.start]!.clause,
      scope: tokens[o.start]!.scope,
    }));
}

/** A reassurance that is only hoped for: "什么时候能修好", "快点恢复". */
function hopes(tokens: readonly Token[], o: Occurrence, marks: ReadonlyMap<string, Mark>): boolean {
  return marks.get(o.key) === 'resolved' && UNRESOLVING.has(tokens[o.start - 1]!.text);
}

function blankHit(cue: Cue, label: string, parts: readonly Occurrence[], tokens: readonly Token[]): Hit {
  const start = parts[0]!.start;
  const end = Math.max(...parts.map((p) => p.end));
  const partStarts = parts.map((p) => p.start);
  return {
    cue, label, start, end, partStarts, clause: tokens[start]!.clause, negated: false, resolved: false, softener: null, spared: null,
  };
}

function singleHits(occurrences: readonly Occurrence[], roles: ReadonlyMap<string, Role[]>, tokens: readonly Token[]): Hit[] {
  return occurrences.flatMap((occ) =>
    (roles.get(occ.key) ?? []).flatMap((role) =>
      role.kind === 'cue' ? [blankHit(role.cue, occ.key, [occ], tokens)] : [],
    ),
  );
}

function comboHits(occurrences: readonly Occurrence[], roles: ReadonlyMap<string, Role[]>, tokens: readonly Token[]): Hit[] {
  // Combos reach across commas ("俺爹有老年痴呆，到现在都没回来") but not across sentences.
  // scope → combo index → part index → occurrences
  const byScope = new Map<number, Map<number, Occurrence[][]>>();
  for (const occ of occurrences) {
    for (const role of roles.get(occ.key) ?? []) {
      if (role.kind !== 'part') continue;
      const scope = tokens[occ.start]!.scope;
      const combos = byScope.get(scope) ?? new Map<number, Occurrence[][]>();
      const parts = combos.get(role.combo) ?? [];
      (parts[role.part] ??= []).push(occ);
      combos.set(role.combo, parts);
      byScope.set(scope, combos);
    }
  }
  const hits: Hit[] = [];
  for (const combos of byScope.values()) {
    for (const [index, parts] of combos) {
      const cue = CUES[index]!;
      if (cue.parts.some((_, part) => !parts[part]?.length)) continue;
      const chosen = matchCombo(cue, parts);
      if (!chosen) continue;
      hits.push(blankHit(cue, chosen.map((c) => c.key).join('+'), chosen, tokens));
    }
  }
  return hits;
}

/** What one reassurance covers: its scopes, and the services its own clause names (none: every one). */
interface Reassurance {
  scopes: Set<number>;
  services: Set<Category>;
  clause: number;
}

/**
 * Scopes a reassurance covers: its own, and the one before when its own names no problem —
 * "I smelled gas earlier but it's gone now" resolves the smell across the "but". A reassurance
 * whose clause names a service settles only that service's cues and its own clause's: "上次坏的
 * 路灯已经修好了" says nothing of the chest pain before it.
 */
function reassurances(hits: readonly Hit[], marks: readonly MarkHit[], tokens: readonly Token[]): Reassurance[] {
  return marks.filter((mark) => mark.mark === 'resolved').map((mark) => {
    const ownProblem = hits.some((h) => !h.cue.topic && h.cue.category !== 'unclassified' && tokens[h.start]!.scope === mark.scope);
    const scopes = new Set(ownProblem ? [mark.scope] : [mark.scope, mark.scope - 1]);
    const named = hits.filter((h) => h.clause === mark.clause && h.cue.category !== null && h.cue.category !== 'unclassified');
    const services = new Set(named.map((h) => h.cue.category!));
    return { scopes, services, clause: mark.clause };
  });
}

function resolves(r: Reassurance, hit: Hit, tokens: readonly Token[]): boolean {
  if (!r.scopes.has(tokens[hit.start]!.scope)) return false;
  if (r.services.size === 0 || hit.clause === r.clause) return true;
  return hit.cue.category !== null && r.services.has(hit.cue.category);
}

/** Applies the words around a hit: a negator just before it, a reassurance or softener near it. */
function qualify(
  hit: Hit,
  tokens: readonly Token[],
  marks: readonly MarkHit[],
  reassured: readonly Reassurance[],
  isNegator: (i: number) => boolean,
): Hit {
  const negatedAt = (start: number) =>
    [start - 1, start - 2].some((i) => tokens[i]?.clause === tokens[start]!.clause && isNegator(i));
  const negated = hit.partStarts.some(negatedAt);
  const resolved = reassured.some((r) => resolves(r, hit, tokens));
  const softener = marks.find((m) => m.mark === 'diminisher' && m.clause === hit.clause)?.label ?? null;
  const harm = hit.cue.harm;
  const spared = harm ? marks.find((m) => m.mark === SPARING[harm])?.label ?? null : null;
  return { ...hit, negated, resolved, softener, spared };
}
