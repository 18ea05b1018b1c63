import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@nnphys/core';
import { type StarGraphSequence, starGraphTask } from '@nnphys/datasets';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type TaskObjective, trainOnTask } from '../src/index.js';

/**
 * The star-graph task of 004 §7.4 (Fig. 7.5a: AR 50, MLM-U 100; choosing one of the 2 arms at random, the
 * "Clever Hans" cheat, gives 50) at small scale: degree 2, arms of 3 nodes (start, middle, end), labels from
 * 10 nodes, 3000 training graphs, 100 test graphs (seed 1). 2-layer, dim-64, 4-head rotary Transformers, Adam
 * 3e-3 with 5% warm-up and cosine decay, batch 64, 30 epochs, loss on the path only (lossOn 'answer'); the
 * path is decoded greedily left to right. wasm only: a training run (~40 s CPU per objective); the backends
 * agree on the model's passes in transformer.test.ts.
 *
 * Measured (seed 1, wasm), right path / first step to a neighbour of the start: AR 0.54 / ~0.99, MLM-U 0.73 /
 * ~1.00. AR learns to step from the start onto one of its arms, but not which arm leads to the end node (it then
 * writes the end node, which the prompt gives); MLM-U does, for most graphs. At 60 epochs (the example's default) MLM-U reaches 0.905.
 * Tolerances: binomial sd of an accuracy near 0.5 with 100 graphs is 0.05.
 */
describe('star-graph task of 004 §7.4 (Fig. 7.5a) at small scale (wasm)', () => {
  beforeAll(() => initBackend('wasm'));
  afterAll(() => console.log('star graph, right path / first step to a neighbour of the start:', JSON.stringify(results)));
  const task = starGraphTask({ degree: 2, pathLength: 3, nodes: 10, trainSamples: 3000, testSamples: 100, seed: 1 });
  const results: Partial<Record<TaskObjective, { right: number; arm: number }>> = {};
  const nodesOf = (answer: string[]) => answer.filter((_, j) => j % 2 === 0).map(Number);
  const same = (a: number[], b: number[]) => a.length === b.length && a.every((v, j) => v === b[j]);
  const run = async (objective: TaskObjective) => {
    const before = tf.memory().numTensors;
    const r = await trainOnTask(task, { objective, epochs: 30, batchSize: 64, learningRate: 3e-3, schedule: 'cosine', warmup: 0.05, lossOn: 'answer', model: { dim: 64, heads: 4, layers: 2 }, seed: 3 });
    r.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
    let right = 0;
    let arm = 0;
    task.test.forEach((s: StarGraphSequence, i) => {
      const answer = r.accuracy.answers[i] as string[];
      const commas = answer.filter((_, j) => j % 2 === 1).every((t) => t === ',');
      const nodes = nodesOf(answer);
      if (commas && same(nodes, s.graph.arms[0] as number[])) right++;
      // The Clever-Hans choice: the first step goes to a neighbour of the start (any arm).
      if (nodes[0] === s.graph.start && s.graph.arms.some((a) => a[1] === nodes[1])) arm++;
    });
    // The path score agrees with answerAccuracy's exact match.
    expect(right / task.test.length).toBeCloseTo(r.accuracy.overall.exactMatch, 12);
    const out = { right: right / task.test.length, arm: arm / task.test.length };
    results[objective] = out;
    return out;
  };

  test('AR steps onto an arm but picks it at chance (the Clever-Hans level 1/2)', async () => {
    const ar = await run('ar');
    expect(ar.arm).toBeGreaterThanOrEqual(0.9);
    expect(ar.right).toBeGreaterThan(0.3);
    expect(ar.right).toBeLessThan(0.65);
  });

  test('MLM-U finds the arm that leads to the end node, well above AR', async () => {
    const u = await run('mlm-u');
    const ar = results.ar ?? (await run('ar'));
    expect(u.right).toBeGreaterThanOrEqual(0.6);
    expect(u.right).toBeGreaterThan(ar.right + 0.1);
  });
});
