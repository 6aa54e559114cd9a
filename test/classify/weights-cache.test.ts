import { copyFileSync, mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { createClassifier, type Classifier } from '../../src/classify/classifier.js';
import { TRAINING_FILE, loadTrainingSamples, type Weights } from '../../src/classify/model.js';
import { cachedWeights } from '../../src/classify/weights-cache.js';

const dirs: string[] = [];
const freshDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'l110-weights-'));
  dirs.push(dir);
  return dir;
};

afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const onlyFile = (dir: string) => {
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^classifier-[0-9a-f]{32}\.bin$/);
  return join(dir, files[0]!);
};

/** A tiny stand-in for trained weights, counting how often training runs. */
function counter(): { train: () => Weights; runs: () => number } {
  let runs = 0;
  const linear = () => ({ ids: new Map([['w:水', 0]]), weights: Float64Array.of(runs), bias: Float64Array.of(0), classes: 1 });
  return { train: () => ((runs += 1), { category: linear(), priority: linear() }), runs: () => runs };
}

describe('the trained weights cache', () => {
  let untrained: Classifier;
  const texts = loadTrainingSamples().filter((_, i) => i % 7 === 0).map((s) => s.text);
  const expectSameAsTrained = (classifier: Classifier) => {
    for (const text of texts) expect(classifier.classify(text)).toEqual(untrained.classify(text));
  };

  beforeAll(() => {
    untrained = createClassifier({ weightsCache: null });
  });

  it('stores the weights once, then later classifiers load them and answer exactly as a trained one', () => {
    const dir = freshDir();
    expectSameAsTrained(createClassifier({ weightsCache: dir }));
    const stored = statSync(onlyFile(dir));
    const loaded = createClassifier({ weightsCache: dir });
    // Storing again would have renamed a new file into place, with a new inode.
    expect(statSync(onlyFile(dir)).ino).toBe(stored.ino);
    expectSameAsTrained(loaded);
  });

  it('retrains and replaces a damaged file instead of failing', () => {
    const dir = freshDir();
    createClassifier({ weightsCache: dir });
    writeFileSync(onlyFile(dir), 'not a model');
    expectSameAsTrained(createClassifier({ weightsCache: dir }));
    expect(statSync(onlyFile(dir)).size).toBeGreaterThan(100_000);
  });

  it('retrains when the training file changes, and keeps only the new weights', () => {
    const dir = freshDir();
    const training = join(freshDir(), 'tuning.tsv');
    copyFileSync(TRAINING_FILE, training);
    const { train, runs } = counter();
    cachedWeights(dir, training, train);
    cachedWeights(dir, training, train);
    expect(runs()).toBe(1);
    const before = onlyFile(dir);
    writeFileSync(training, 'water\tP2\t整栋楼都停水了\n', { flag: 'a' });
    // The stand-in's weight is its run number: 2 is the retrained model, 1 would be the stale one.
    expect(cachedWeights(dir, training, train).category.weights[0]).toBe(2);
    expect(runs()).toBe(2);
    expect(onlyFile(dir)).not.toBe(before);
  });

  it('still answers when the cache cannot be written', () => {
    // A regular file where the directory should be: no directory can be made there, even by root.
    const blocked = join(freshDir(), 'cache');
    writeFileSync(blocked, '');
    const { train, runs } = counter();
    expect(cachedWeights(blocked, TRAINING_FILE, train).category.ids.get('w:水')).toBe(0);
    expect(runs()).toBe(1);
  });
});
