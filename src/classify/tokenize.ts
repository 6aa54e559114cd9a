import { Jieba } from '@node-rs/jieba';
import { dict } from '@node-rs/jieba/dict.js';

/** One word of a call, with the clause and the scope it belongs to. */
export interface Token {
  text: string;
  /** Clauses end at any punctuation; negation never reaches across one. */
  clause: number;
  /** Scopes end at sentence punctuation or a "but": a reassurance covers its own scope only. */
  scope: number;
}

const HAN = /\p{Script=Han}/u;
const CLAUSE_MARK = /^[,，、;；:：()（）"“”'‘’\-—~～]+$/u;
const SENTENCE_MARK = /^[.。!！?？…\n]+$/u;
const CONTRAST = new Set(['但', '但是', '可是', '不过', '就是', '只是', 'but', 'however', 'though']);
const ASCII_WORD = /[a-z0-9]+(?:'[a-z]+)?/g;

/**
 * Frequency given to lexicon words in jieba's dictionary: high enough that the segmenter keeps a
 * cue whole ("煤气|味", not "煤|气味") yet below the point where it would split real compounds.
 */
const CUE_FREQUENCY = 200_000;

/** Folds width, case and curly quotes, so the lexicon needs one spelling per word. */
function fold(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[‘’`´]/g, "'")
    // Callers who type spaces between Chinese phrases use them as commas.
    .replace(/(?<=\p{Script=Han})\s+(?=\p{Script=Han})/gu, '，');
}

/**
 * Rewrites variant spellings (dialect, typos, homophones: "停点" → "停电", "俺" → "我") to the
 * standard word in one pass, longest variant first, so the lexicon needs only standard Chinese.
 */
function variantRewriter(variants: ReadonlyMap<string, string>): (text: string) => string {
  const keys = [...variants.keys()].map(fold).sort((a, b) => b.length - a.length);
  if (keys.length === 0) return (text) => text;
  const standard = new Map([...variants].map(([from, to]) => [fold(from), fold(to)]));
  const pattern = new RegExp(keys.map((k) => k.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|'), 'gu');
  return (text) => text.replace(pattern, (m) => standard.get(m) ?? m);
}

/** Light English stemming: plural endings only, so "sparks"/"spark" and "wires"/"wire" meet. */
function stem(word: string): string {
  if (word.endsWith("'s")) return word.slice(0, -2);
  if (word.length > 4 && word.endsWith('ies')) return `${word.slice(0, -3)}y`;
  if (word.length > 3 && word.endsWith('s') && !/(ss|us|is)$/.test(word)) return word.slice(0, -1);
  return word;
}

function isHan(token: string): boolean {
  return HAN.test(token);
}

/** Joins tokens the way phrases are keyed: Chinese glued, English words separated by one space. */
export function joinTokens(tokens: readonly string[]): string {
  let out = '';
  let previousAscii = false;
  for (const token of tokens) {
    const ascii = !isHan(token);
    out += previousAscii && ascii ? ` ${token}` : token;
    previousAscii = ascii;
  }
  return out;
}

export interface Tokenizer {
  tokenize(text: string): Token[];
  /** The key a lexicon phrase is stored under, segmented exactly as calls are. */
  phraseKey(phrase: string): { key: string; length: number };
}

/**
 * Builds a tokenizer whose jieba dictionary also knows every Chinese lexicon word, and which
 * rewrites variant spellings to standard ones before segmenting.
 */
export function createTokenizer(lexiconWords: Iterable<string>, variants: ReadonlyMap<string, string> = new Map()): Tokenizer {
  const rewrite = variantRewriter(variants);
  const normalize = (text: string) => rewrite(fold(text));
  const jieba = Jieba.withDict(dict);
  // The lexicon is segmented the way calls are, so its words go in with their variants rewritten too.
  const extra = [...new Set([...lexiconWords].map(normalize))].filter((w) => isHan(w) && [...w].length > 1);
  jieba.loadDict(Buffer.from(extra.map((w) => `${w} ${CUE_FREQUENCY}`).join('\n')));

  const words = (chunk: string): string[] => {
    if (isHan(chunk)) return jieba.cut(chunk, false).filter((w) => w.trim() !== '');
    return (chunk.match(ASCII_WORD) ?? []).map(stem);
  };

  const tokenize = (text: string): Token[] => {
    const tokens: Token[] = [];
    let clause = 0;
    let scope = 0;
    // Runs of Han, of Latin/digits, and single punctuation marks.
    for (const chunk of normalize(text).match(/\p{Script=Han}+|[a-z0-9' ]+|[^\p{Script=Han}a-z0-9' ]/gu) ?? []) {
      if (SENTENCE_MARK.test(chunk)) {
        scope += 1;
        clause += 1;
        continue;
      }
      if (CLAUSE_MARK.test(chunk)) {
        clause += 1;
        continue;
      }
      for (const word of words(chunk)) {
        if (CONTRAST.has(word)) {
          scope += 1;
          clause += 1;
        }
        tokens.push({ text: word, clause, scope });
      }
    }
    return tokens;
  };

  const phraseKey = (phrase: string) => {
    const parts = tokenize(phrase).map((t) => t.text);
    return { key: joinTokens(parts), length: parts.length };
  };

  return { tokenize, phraseKey };
}
