import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  TabularModel,
  Transformer,
  categoricalProbabilities,
  exactNLL,
  generate,
  generateBatch,
  mixtureNLL,
  orderNLL,
  sampleCategorical,
} from '../src/index.js';
import { allSequences, backends, chiSquare, chiSquareCritical, sequenceIndex } from './helpers.js';

describe('float64 categorical sampling', () => {
  test('probabilities are the float64 softmax, tiny ones included', () => {
    const logits = [3, -25, 0.5, 3];
    const p = categoricalProbabilities(logits, { temperature: 0.5 });
    const e = logits.map((l) => Math.exp((l - 3) / 0.5));
    const z = e.reduce((a, b) => a + b, 0);
    e.forEach((x, i) => {
      expect(Math.abs((p[i] as number) - x / z)).toBeLessThan(1e-16 + 1e-15 * (x / z));
    });
    expect(p[1]).toBeGreaterThan(1e-25); // exp(-56) / 2 ~ 2.4e-25: kept in float64
  });

  test('inverse-CDF resolution is float64: a token of probability 1e-11 is drawn when u falls in its interval', () => {
    // logits giving p = [1 - 1e-11, 1e-11]; in float32, 1 - 1e-11 rounds to 1 and the second token could never be drawn.
    const logits = [0, Math.log(1e-11 / (1 - 1e-11))];
    const fixed = (u: number) => ({ uniform: () => u }) as unknown as Random;
    expect(sampleCategorical(logits, fixed(1 - 2e-12))).toBe(1);
    expect(sampleCategorical(logits, fixed(1 - 2e-11))).toBe(0);
    expect(Math.fround(1 - 1e-11)).toBe(1);
  });

  test('empirical frequencies and entropy match the distribution (chi-square; entropy within 4 standard errors)', () => {
    const rng = new Random(8);
    const logits = [1.2, -0.3, 0.0, 2.0, -4.0];
    for (const temperature of [1, 0.7, 2]) {
      const p = categoricalProbabilities(logits, { temperature });
      const n = 40000;
      const counts = new Array(logits.length).fill(0);
      for (let i = 0; i < n; i++) counts[sampleCategorical(logits, rng, { temperature })]++;
      expect(chiSquare(counts, Array.from(p, (q) => q * n))).toBeLessThan(chiSquareCritical(logits.length - 1));
      // Plug-in entropy: bias ~ -(K - 1) / (2n), standard error sqrt(Var[-log p(X)] / n).
      const h = -Array.from(p).reduce((a, q) => a + q * Math.log(q), 0);
      const varLog = Array.from(p).reduce((a, q) => a + q * (Math.log(q) + h) ** 2, 0);
      const hHat = -counts.reduce((a, c) => a + (c > 0 ? (c / n) * Math.log(c / n) : 0), 0);
      expect(Math.abs(hHat - h + (logits.length - 1) / (2 * n))).toBeLessThan(4 * Math.sqrt(varLog / n));
    }
    // Temperature 0 is the argmax; excluded ids are never drawn.
    expect(sampleCategorical(logits, rng, { temperature: 0 })).toBe(3);
    const exclude = new Set([3, 0]);
    for (let i = 0; i < 2000; i++) expect(exclude.has(sampleCategorical(logits, rng, { exclude }))).toBe(false);
    expect(() => sampleCategorical([0, Number.NaN], rng)).toThrow(/non-finite/);
    expect(() => sampleCategorical([0, 1], rng, { exclude: new Set([0, 1]) })).toThrow(/excluded/);
  });
});

describe.each(backends)('generation (%s)', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  const N = 6000;

  function histogram(rows: number[][], v: number, from: number): number[] {
    const counts = new Array(v ** (rows[0]!.length - from)).fill(0);
    for (const r of rows) counts[sequenceIndex(r.slice(from), v)]++;
    return counts;
  }

  test('masked model, left-to-right at temperature 1 samples exactly q_id(x) = exp(-orderNLL)', () => {
    const v = 2;
    const d = 3;
    const model = new TabularModel({ vocabSize: v, length: d, seed: 12 });
    const before = tf.memory().numTensors;
    const rows = generateBatch(model, { prompts: Array.from({ length: N }, () => []), length: d, maskToken: model.maskToken, seed: 1 });
    expect(tf.memory().numTensors).toBe(before);
    const expected = allSequences(v, d).map((x) => N * Math.exp(-orderNLL(model, x, { maskToken: model.maskToken })));
    expect(expected.reduce((a, b) => a + b, 0)).toBeCloseTo(N, 6);
    expect(chiSquare(histogram(rows, v, 0), expected)).toBeLessThan(chiSquareCritical(v ** d - 1));
    model.dispose();
  });

  test('masked model, random order samples the order mixture exp(-mixtureNLL), which differs from q_id', () => {
    const v = 2;
    const d = 3;
    const model = new TabularModel({ vocabSize: v, length: d, seed: 13, scale: 2 });
    const rows = generateBatch(model, { prompts: Array.from({ length: N }, () => []), length: d, order: 'random', maskToken: model.maskToken, seed: 2 });
    const mixture = allSequences(v, d).map((x) => N * Math.exp(-mixtureNLL(model, x, { maskToken: model.maskToken })));
    const leftToRight = allSequences(v, d).map((x) => N * Math.exp(-orderNLL(model, x, { maskToken: model.maskToken })));
    const counts = histogram(rows, v, 0);
    expect(chiSquare(counts, mixture)).toBeLessThan(chiSquareCritical(v ** d - 1));
    // The test has power: an arbitrary tabular model is not consistent, so q_id is rejected.
    expect(chiSquare(counts, leftToRight)).toBeGreaterThan(chiSquareCritical(v ** d - 1));
    model.dispose();
  });

  test('masked model with a prompt: the prompt is kept and the rest follows the conditional chain', () => {
    const v = 2;
    const d = 3;
    const model = new TabularModel({ vocabSize: v, length: d, seed: 14 });
    const rows = generateBatch(model, { prompts: Array.from({ length: N }, () => [1]), length: 2, maskToken: model.maskToken, seed: 3 });
    expect(rows.every((r) => r[0] === 1)).toBe(true);
    const tails = allSequences(v, 2);
    const expected = tails.map((t) => N * Math.exp(-orderNLL(model, t, { maskToken: model.maskToken, prefix: [1] })));
    expect(chiSquare(histogram(rows, v, 1), expected)).toBeLessThan(chiSquareCritical(3));
    model.dispose();
  });

  test('causal Transformer samples exp(-exactNLL(x | bos)); greedy follows the argmax chain', () => {
    const vocab = 3;
    const bos = 0;
    const model = new Transformer({ vocabSize: vocab, maxLength: 4, dim: 8, heads: 2, layers: 1, causal: true, seed: 5 });
    const rows = generateBatch(model, { prompts: Array.from({ length: N }, () => [bos]), length: 2, seed: 4 });
    const tails = allSequences(vocab, 2);
    const expected = tails.map((t) => N * Math.exp(-exactNLL(model, t, { prefix: [bos] })));
    expect(expected.reduce((a, b) => a + b, 0)).toBeCloseTo(N, 2);
    expect(chiSquare(histogram(rows, vocab, 1), expected)).toBeLessThan(chiSquareCritical(tails.length - 1));
    const greedy = generate(model, { prompt: [bos], length: 2, temperature: 0 });
    const first = model.apply([[bos]]);
    const a = Array.from(first.dataSync());
    first.dispose();
    expect(greedy[1]).toBe(a.indexOf(Math.max(...a)));
    model.dispose();
  });

  test('bidirectional Transformer: every order fills every position, keeps prompt and suffix, is reproducible by seed', () => {
    const model = new Transformer({ vocabSize: 8, maxLength: 8, dim: 8, heads: 2, layers: 1, causal: false, padToken: 0, seed: 6 });
    const mask = 1;
    for (const order of ['left-to-right', 'random', 'confidence'] as const) {
      const before = tf.memory().numTensors;
      const out = generate(model, { prompt: [2, 3], length: 3, suffix: [7], order, maskToken: mask, seed: 9 });
      expect(tf.memory().numTensors).toBe(before);
      expect(out).toHaveLength(6);
      expect(out.slice(0, 2)).toEqual([2, 3]);
      expect(out[5]).toBe(7);
      for (const t of out.slice(2, 5)) expect([mask, 0]).not.toContain(t);
      expect(generate(model, { prompt: [2, 3], length: 3, suffix: [7], order, maskToken: mask, seed: 9 })).toEqual(out);
    }
    model.dispose();
  });

  test('bad inputs', () => {
    const bi = new Transformer({ vocabSize: 6, maxLength: 5, dim: 8, heads: 2, layers: 1, causal: false, seed: 1 });
    const ar = new Transformer({ vocabSize: 6, maxLength: 5, dim: 8, heads: 2, layers: 1, causal: true, seed: 1 });
    const bad = (f: () => unknown, pattern: RegExp) => {
      expect(f).toThrow(NnphysError);
      expect(f).toThrow(pattern);
    };
    bad(() => generate(bi, { prompt: [2], length: 2 }), /maskToken is required.*mask token missing from the tokenizer/);
    bad(() => generate(bi, { prompt: [2], length: 2, maskToken: 7 }), /maskToken must be a token id in \[0, 6\)/);
    bad(() => generate(bi, { prompt: [2, 9], length: 2, maskToken: 1 }), /prompt\[1\] must be a token id in \[0, 6\)/);
    bad(() => generate(bi, { prompt: [2, 3], length: 4, maskToken: 1 }), /6 tokens exceeds the model's maxLength 5/);
    bad(() => generate(bi, { prompt: [2, 1], length: 1, maskToken: 1 }), /contains the mask token/);
    bad(() => generate(ar, { prompt: [2], length: 2, order: 'random' }), /only generate 'left-to-right'/);
    bad(() => generate(ar, { prompt: [], length: 2 }), /at least one token/);
    bad(() => generate(bi, { prompt: [2], length: 2, maskToken: 1, order: 'sideways' as 'random' }), /order must be one of/);
    bad(() => generate(bi, { prompt: [2], length: -1, maskToken: 1 }), /length must be a non-negative integer/);
    bad(() => generate(bi, { prompt: [2], length: 1, maskToken: 1, temperature: -1 }), /temperature/);
    bad(() => generateBatch(bi, { prompts: [[2], [2, 3]], length: 1, maskToken: 1 }), /same length/);
    bi.dispose();
    ar.dispose();
  });
});
