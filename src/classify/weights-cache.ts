import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { Weights } from './model.js';

/**
 * Training takes about a second on a small machine, paid again by every process that classifies
 * (each API process, each test file). The weights depend only on the training file and on the code
 * that reads and segments it, so they are stored under a hash of both and loaded from there (about
 * 150 ms for the 8 MB file) until either changes.
 */

/** Where the shipped model's weights are kept: the usual home of tool caches, never committed. */
export const WEIGHTS_CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/livelihood-110', import.meta.url));

const PREFIX = 'classifier-';
const SUFFIX = '.bin';

/** The classify code as it is on disk and the segmenter's version: changing either retrains. */
function codeDigest(): string {
  const dir = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  const sources = readdirSync(dir, { withFileTypes: true }).filter((e) => e.isFile() && /\.[cm]?[jt]s$/.test(e.name));
  for (const name of sources.map((e) => e.name).sort()) hash.update(name).update(readFileSync(join(dir, name)));
  return hash.update(String(createRequire(import.meta.url)('@node-rs/jieba/package.json').version)).digest('hex');
}

function keyOf(trainingFile: string): string {
  return createHash('sha256').update(codeDigest()).update(readFileSync(trainingFile)).digest('hex').slice(0, 32);
}

const fileOf = (dir: string, key: string) => join(dir, `${PREFIX}${key}${SUFFIX}`);

function load(path: string): Weights | null {
  try {
    return deserialize(readFileSync(path)) as Weights;
  } catch {
    return null;
  }
}

/**
 * Written under a unique temporary name and renamed, so a process reading it never sees half a
 * file and processes storing at once each rename a whole one. Older models and leftover temporary
 * files go; removing another process's file mid-write only makes its rename fail, which costs it
 * nothing but the caching. A cache that cannot be written (a read-only install) only costs time.
 */
function store(dir: string, key: string, weights: Weights): void {
  const path = fileOf(dir, key);
  const temporary = `${path}.${randomUUID()}.tmp`;
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(temporary, serialize(weights));
    renameSync(temporary, path);
    for (const name of readdirSync(dir)) {
      if (name.startsWith(PREFIX) && join(dir, name) !== path) removeQuietly(join(dir, name));
    }
  } catch {
    removeQuietly(temporary);
  }
}

/** Removal is tidying only: a path that is gone, or cannot be reached, is left as it is. */
function removeQuietly(path: string): void {
  try {
    rmSync(path, { force: true });
  } catch {
    // Nothing depends on it.
  }
}

/** The weights trained from `trainingFile`, from the cache when it holds them, else trained and stored. */
export function cachedWeights(dir: string, trainingFile: string, train: () => Weights): Weights {
  const key = keyOf(trainingFile);
  const cached = load(fileOf(dir, key));
  if (cached) return cached;
  const weights = train();
  store(dir, key, weights);
  return weights;
}
