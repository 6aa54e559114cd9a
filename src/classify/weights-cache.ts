import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, readdirSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { deserialize, serialize } from 'node:v8';
import type { Weights } from './model.js';

/**
 * Training at load takes most of a second on a small machine, paid again by every process that
 * classifies (each API process, each test file). The weights depend only on the training file
 * and on the code that reads and segments it, so they are stored under a hash of both and loaded
 * from there (tens of milliseconds) until either changes.
 */

/** Where the shipped model's weights are kept: the usual home of tool caches, never committed. */
export const WEIGHTS_CACHE_DIR = fileURLToPath(new URL('../../node_modules/.cache/livelihood-110', import.meta.url));

const PREFIX = 'classifier-';

/**
 * The classify code as it is on disk (src/*.ts or dist/*.js alike) and the segmenter's version:
 * changing either retrains.
 */
function codeDigest(): string {
  const dir = dirname(fileURLToPath(import.meta.url));
  const hash = createHash('sha256');
  for (const name of readdirSync(dir).sort()) hash.update(name).update(readFileSync(join(dir, name)));
  return hash.update(String(createRequire(import.meta.url)('@node-rs/jieba/package.json').version)).digest('hex');
}

export function weightsKey(trainingFile: string): string {
  return createHash('sha256').update(codeDigest()).update(readFileSync(trainingFile)).digest('hex').slice(0, 32);
}

function load(path: string): Weights | null {
  try {
    return deserialize(readFileSync(path)) as Weights;
  } catch {
    return null;
  }
}

/**
 * Written under a temporary name and renamed, so a process reading it never sees half a file;
 * older models are removed. A cache that cannot be written (a read-only install) only costs time.
 */
function store(dir: string, key: string, weights: Weights): void {
  try {
    mkdirSync(dir, { recursive: true });
    const path = join(dir, `${PREFIX}${key}.bin`);
    const temporary = `${path}.${process.pid}.tmp`;
    writeFileSync(temporary, serialize(weights));
    renameSync(temporary, path);
    for (const name of readdirSync(dir)) {
      if (name.startsWith(PREFIX) && name.endsWith('.bin') && join(dir, name) !== path) rmSync(join(dir, name), { force: true });
    }
  } catch {
    // Classifying works the same without the cache.
  }
}

/** The weights trained from `trainingFile`, from the cache when it holds them, else trained and stored. */
export function cachedWeights(dir: string, trainingFile: string, train: () => Weights): Weights {
  const key = weightsKey(trainingFile);
  const cached = load(join(dir, `${PREFIX}${key}.bin`));
  if (cached) return cached;
  const weights = train();
  store(dir, key, weights);
  return weights;
}
