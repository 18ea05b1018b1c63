import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@nnphys/core';
import { beforeAll, expect, test } from 'vitest';
import { markdownTable, runStarGraph, scorePath } from '../star-graph-task.mjs';

beforeAll(() => initBackend('wasm'));

test('scorePath tells the right path, a step onto the wrong arm and a broken path apart', () => {
  const graph = { arms: [[0, 2, 8], [0, 1, 9]] };
  expect(scorePath(['0', ',', '2', ',', '8'], graph)).toEqual({ correct: true, someArm: true });
  expect(scorePath(['0', ',', '1', ',', '8'], graph)).toEqual({ correct: false, someArm: true });
  expect(scorePath(['0', ',', '9', ',', '8'], graph)).toEqual({ correct: false, someArm: false });
  expect(scorePath(['0', '|', '2', ',', '8'], graph)).toEqual({ correct: false, someArm: true });
});

// Reduced size (1500 training graphs, 40 epochs, AR only; MLM-U needs the default size, see the README and
// packages/diffusion-lm/test/star_graph.test.ts): the example runs end to end without leaks and AR shows the
// Clever-Hans pattern of 004 Fig. 7.5a: (almost) every answer steps from the start onto an arm, but only about half
// onto the right one.
test('the example runs at reduced size and AR steps onto an arm without choosing it', async () => {
  const before = tf.memory().numTensors;
  const result = await runStarGraph({ scale: 'tiny', objectives: ['ar'] });
  expect(tf.memory().numTensors).toBe(before);
  const [ar] = result.rows;
  // Measured (seed 1, wasm): onto an arm 0.99, right path 0.51 on 100 test graphs. Binomial sd of 0.5 at n = 100 is 0.05.
  expect(ar.someArm).toBeGreaterThanOrEqual(0.9);
  expect(ar.accuracy).toBeGreaterThan(0.3);
  expect(ar.accuracy).toBeLessThan(0.7);
  expect(markdownTable(result.rows)).toContain('| AR |');
});
