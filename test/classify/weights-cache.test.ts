import { mkdtempSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClassifier, type Classifier } from '../../src/classify/classifier.js';
import { loadTrainingSamples } from '../../src/classify/model.js';

let dir: string;
let untrained: Classifier;
const texts = loadTrainingSamples().filter((_, i) => i % 7 === 0).map((s) => s.text);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'l110-weights-'));
  untrained = createClassifier({ weightsCache: null });
});

afterAll(() => rmSync(dir, { recursive: true, force: true }));

const only = () => {
  const files = readdirSync(dir);
  expect(files).toHaveLength(1);
  expect(files[0]).toMatch(/^classifier-[0-9a-f]{32}\.bin$/);
  return join(dir, files[0]!);
};

const expectSameAsTrained = (classifier: Classifier) => {
  for (const text of texts) expect(classifier.classify(text)).toEqual(untrained.classify(text));
};

describe('the trained weights cache', () => {
  it('stores the weights once, then later classifiers load them and answer exactly as a trained one', () => {
    expectSameAsTrained(createClassifier({ weightsCache: dir }));
    const stored = statSync(only());
    const loaded = createClassifier({ weightsCache: dir });
    // Storing again would have renamed a new file into place, with a new inode.
    expect(statSync(only()).ino).toBe(stored.ino);
    expectSameAsTrained(loaded);
  });

  it('retrains and replaces a damaged file instead of failing', () => {
    writeFileSync(only(), 'not a model');
    expectSameAsTrained(createClassifier({ weightsCache: dir }));
    expect(statSync(only()).size).toBeGreaterThan(100_000);
  });
});
