/**
 * Trains the classifier into its weights cache ahead of the first start, so that loading it is
 * all a start pays: `npm run train:classify`, run by `npm ci` (postinstall) and the image build.
 * Prints the first load (training, when nothing is cached yet) and a later one.
 */
import { performance } from 'node:perf_hooks';
import { createClassifier } from '../src/classify/classifier.js';

const timed = () => {
  const start = performance.now();
  createClassifier();
  return Math.round(performance.now() - start);
};

// The first trains and stores the weights unless they are cached; the second is what a start pays.
const firstMs = timed();
console.log(`classifier: first load ${firstMs} ms (it trains when nothing is cached yet); later loads ${timed()} ms`);
