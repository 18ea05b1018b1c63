import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { Transformer, autoregressiveLoss, exactNLL, mixtureNLL, mlmUBound, mlmULoss, orderNLL } from '../src/index.js';
import { allSequences, backends } from './helpers.js';

describe.each(backends)('exact likelihoods of Transformers (%s)', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('causal: exactNLL = autoregressiveLoss of [bos, ...x], and exp(-exactNLL) sums to 1 over all sequences', () => {
    const vocab = 4;
    const bos = 3;
    const model = new Transformer({ vocabSize: vocab, maxLength: 4, dim: 8, heads: 2, layers: 2, causal: true, seed: 2 });
    const before = tf.memory().numTensors;
    let mass = 0;
    for (const x of allSequences(vocab, 3)) {
      const nll = exactNLL(model, x, { prefix: [bos] });
      mass += Math.exp(-nll);
      if (x[0] === 1) {
        const l = autoregressiveLoss(model, [[bos, ...x]]);
        // float32 log-softmax vs the float64 one here: ~1e-6 relative.
        expect(Math.abs((l.dataSync()[0] as number) - nll)).toBeLessThan(1e-5 * nll);
        l.dispose();
      }
    }
    // 64 terms, each exact to ~1e-7 relative.
    expect(mass).toBeCloseTo(1, 5);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  test('bidirectional: q_id and the order mixture are normalised; mlmUBound >= mixtureNLL for every sequence', () => {
    // ordinary tokens 0..2, mask token 3; the model only predicts ordinary tokens (outputs 3), so the sums are exactly 1.
    const model = new Transformer({ vocabSize: 4, maxLength: 3, dim: 8, heads: 2, layers: 1, causal: false, outputs: 3, seed: 3 });
    const maskToken = 3;
    const before = tf.memory().numTensors;
    let ltr = 0;
    let rtl = 0;
    let mix = 0;
    for (const x of allSequences(3, 3)) {
      const bound = mlmUBound(model, x, { maskToken });
      const m = mixtureNLL(model, x, { maskToken });
      expect(bound).toBeGreaterThanOrEqual(m - 1e-9);
      ltr += Math.exp(-orderNLL(model, x, { maskToken }));
      rtl += Math.exp(-orderNLL(model, x, { maskToken, order: 'right-to-left' }));
      mix += Math.exp(-m);
    }
    expect(ltr).toBeCloseTo(1, 5);
    expect(rtl).toBeCloseTo(1, 5);
    expect(mix).toBeCloseTo(1, 5);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  test('training with MLM-U lowers the exact bound, which stays above the data entropy (bound >= exact NLL >= H)', async () => {
    // Data: four equally likely sequences over tokens {0, 1, 2}; H = log 4.
    const data = [
      [0, 1, 2],
      [1, 2, 0],
      [2, 0, 1],
      [0, 0, 1],
    ];
    const maskToken = 3;
    const model = new Transformer({ vocabSize: 4, maxLength: 3, dim: 16, heads: 2, layers: 1, causal: false, outputs: 3, seed: 4 });
    const average = (f: (x: number[]) => number) => data.reduce((a, x) => a + f(x), 0) / data.length;
    const boundBefore = average((x) => mlmUBound(model, x, { maskToken }));
    const optimizer = tf.train.adam(2e-2);
    const batch = data.flatMap((x) => [x, x, x, x]);
    for (let step = 0; step < 150; step++) {
      const cost = optimizer.minimize(() => mlmULoss(model, batch, { maskToken, seed: step }), true);
      cost?.dispose();
    }
    optimizer.dispose();
    const boundAfter = average((x) => mlmUBound(model, x, { maskToken }));
    const mixture = average((x) => mixtureNLL(model, x, { maskToken }));
    const entropy = Math.log(4);
    expect(boundAfter).toBeLessThan(boundBefore - 1);
    expect(boundAfter).toBeGreaterThanOrEqual(mixture - 1e-9);
    expect(mixture).toBeGreaterThanOrEqual(entropy - 1e-9);
    // The data is learnable to within a fraction of a nat of its entropy.
    expect(boundAfter).toBeLessThan(entropy + 1);
    model.dispose();
  });

  test('bad inputs', () => {
    const bi = new Transformer({ vocabSize: 4, maxLength: 20, dim: 8, heads: 2, layers: 1, causal: false, outputs: 3, seed: 3 });
    const ar = new Transformer({ vocabSize: 4, maxLength: 4, dim: 8, heads: 2, layers: 1, causal: true, seed: 3 });
    const bad = (f: () => unknown, pattern: RegExp) => {
      expect(f).toThrow(NnphysError);
      expect(f).toThrow(pattern);
    };
    bad(() => mlmUBound(bi, [0, 1]), /maskToken is required/);
    bad(() => mlmUBound(bi, new Array(17).fill(0), { maskToken: 3 }), /D <= 16, got a sequence of 17/);
    bad(() => mlmUBound(bi, [0, 3], { maskToken: 3 }), /sequence\[1\] = 3 is scored but the model only predicts ids \[0, 3\)/);
    bad(() => mlmUBound(bi, [0, 1], { maskToken: 3, prefix: [3] }), /contains the mask token/);
    bad(() => exactNLL(ar, [0, 1]), /prefix of at least one token/);
    bad(() => exactNLL(ar, [0, 1, 2, 1], { prefix: [0] }), /exceeds the model's maxLength 4/);
    bad(() => mixtureNLL(ar, [0, 1], { maskToken: 3 }), /needs a bidirectional model/);
    bad(() => orderNLL(bi, [0, 1, 2], { maskToken: 3, order: [0, 0, 1] }), /permutation of 0..2/);
    bi.dispose();
    ar.dispose();
  });
});
