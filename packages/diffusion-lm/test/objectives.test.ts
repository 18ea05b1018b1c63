import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  type TokenModel,
  type TokensLike,
  Transformer,
  autoregressiveLoss,
  maskedLoss,
  mlmULoss,
  permutationLoss,
  reverseEntities,
  reverseTokens,
} from '../src/index.js';
import { backends } from './helpers.js';

/** A model with uniform logits (one variable so that gradients exist) that records every input it sees. */
class SpyModel implements TokenModel {
  readonly causal = false;
  readonly seen: number[][][] = [];
  readonly bias = tf.variable(tf.zeros([1]));
  constructor(
    readonly vocabSize: number,
    readonly outputs: number,
    readonly maxLength: number,
    readonly padToken: number | null = null,
  ) {}
  apply(tokens: TokensLike): tf.Tensor3D {
    const rows = Array.isArray(tokens) ? tokens.map((r) => [...r]) : ((tokens as tf.Tensor2D).arraySync() as number[][]);
    this.seen.push(rows);
    return tf.tidy(() => tf.add(tf.zeros([rows.length, rows[0]?.length ?? 0, this.outputs]), tf.mul(this.bias, 0)) as tf.Tensor3D);
  }
}

const value = (s: tf.Scalar) => {
  const v = s.dataSync()[0] as number;
  s.dispose();
  return v;
};

describe.each(backends)('objectives (%s)', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('autoregressiveLoss = mean over sequences of sum_t -log softmax(logits_{t-1})[x_t], padding targets skipped', () => {
    const pad = 0;
    const model = new Transformer({ vocabSize: 9, maxLength: 8, dim: 16, heads: 2, layers: 1, causal: true, padToken: pad, seed: 3 });
    const tokens = [
      [2, 5, 6, 7, 8, pad],
      [2, 8, 7, pad, pad, pad],
    ];
    const before = tf.memory().numTensors;
    const loss = value(autoregressiveLoss(model, tokens));
    expect(tf.memory().numTensors).toBe(before);
    const logits = model.apply(tokens);
    const l = logits.arraySync() as number[][][];
    logits.dispose();
    let expected = 0;
    tokens.forEach((row, b) => {
      for (let t = 1; t < row.length; t++) {
        if (row[t] === pad) continue;
        const z = l[b]?.[t - 1] as number[];
        const m = Math.max(...z);
        const lse = m + Math.log(z.reduce((a, v) => a + Math.exp(v - m), 0));
        expected += lse - (z[row[t] as number] as number);
      }
    });
    expected /= tokens.length;
    // float32 log-softmax of 9 logits, 6 targets: ~1e-6 relative.
    expect(Math.abs(loss - expected)).toBeLessThan(1e-5 * expected);
    model.dispose();
  });

  test('autoregressiveLoss with targets sums only the chosen positions: the per-position terms add up to the full loss', () => {
    const model = new Transformer({ vocabSize: 9, maxLength: 8, dim: 16, heads: 2, layers: 1, causal: true, padToken: 0, seed: 4 });
    const tokens = [
      [2, 5, 6, 7, 8, 0],
      [2, 8, 7, 3, 0, 0],
    ];
    const full = value(autoregressiveLoss(model, tokens));
    // One position at a time (position 0 is never a target; padding never is): the sum is the full loss.
    let sum = 0;
    for (let t = 0; t < 6; t++) {
      const only = tokens.map(() => Array.from({ length: 6 }, (_, j) => (j === t ? 1 : 0)));
      const before = tf.memory().numTensors;
      const part = value(autoregressiveLoss(model, tokens, { targets: only }));
      expect(tf.memory().numTensors).toBe(before);
      if (t === 0) expect(part).toBe(0);
      sum += part;
    }
    expect(Math.abs(sum - full)).toBeLessThan(1e-5 * full);
    // An answer-only mask (positions >= 3) drops the prompt terms: smaller than the full loss, and positive.
    const answer = value(autoregressiveLoss(model, tokens, { targets: tokens.map(() => [0, 0, 0, 1, 1, 1]) }));
    expect(answer).toBeGreaterThan(0);
    expect(answer).toBeLessThan(full);
    expect(() => autoregressiveLoss(model, tokens, { targets: [[1, 1, 1, 1, 1, 1]] })).toThrow(/targets must have 2 rows/);
    model.dispose();
  });

  test('with uniform logits every masked objective equals D log V per sequence, whatever the masks', () => {
    // Uniform logits make each masked token cost log V, so (D/k) * k * log V = D log V for MLM-U and fixed-rate
    // MLM, and D log V for PLM: a check of the D/k weights and of which positions count in D.
    const V = 7;
    const pad = 0;
    const keep = 2; // e.g. BOS
    const spy = new SpyModel(V + 1, V, 10, pad);
    const tokens = [
      [keep, 3, 4, 5, 6, pad, pad],
      [keep, 6, 5, pad, pad, pad, pad],
      [keep, 3, 3, 3, 3, 3, 3],
    ];
    const D = [4, 2, 6];
    const expected = (D.reduce((a, b) => a + b, 0) * Math.log(V)) / tokens.length;
    const mask = V;
    for (const seed of [1, 2, 3]) {
      for (const loss of [
        () => mlmULoss(spy, tokens, { maskToken: mask, keepTokens: [keep], seed }),
        () => mlmULoss(spy, tokens, { maskToken: mask, keepTokens: [keep], seed, estimator: 'subset' }),
        () => maskedLoss(spy, tokens, { maskToken: mask, keepTokens: [keep], rate: 0.4, seed }),
        () => permutationLoss(spy, tokens, { maskToken: mask, keepTokens: [keep], seed }),
      ]) {
        expect(value(loss())).toBeCloseTo(expected, 5);
      }
    }
    // Only maskable positions were ever masked, and never the padding or the kept token.
    // MLM-U and MLM see one row per sequence; PLM sees D_b consecutive rows for sequence b.
    const plmOwner = D.flatMap((d, b) => new Array<number>(d).fill(b));
    for (const batch of spy.seen) {
      batch.forEach((row, r) => {
        const original = tokens[batch.length === tokens.length ? r : (plmOwner[r] as number)] as number[];
        row.forEach((v, t) => {
          if (v === mask) expect([pad, keep]).not.toContain(original[t]);
          else expect(v).toBe(original[t]);
        });
      });
    }
    spy.bias.dispose();
  });

  test('MLM-U masks between 1 and D tokens, fixed-rate MLM exactly round(r D), PLM expands to D rows per sequence', () => {
    const V = 5;
    const mask = V;
    const spy = new SpyModel(V + 1, V, 12);
    const tokens = [Array.from({ length: 10 }, (_, i) => i % V)];
    const counts = new Set<number>();
    for (let seed = 0; seed < 60; seed++) {
      value(mlmULoss(spy, tokens, { maskToken: mask, seed }));
      const row = spy.seen.at(-1)?.[0] as number[];
      counts.add(row.filter((v) => v === mask).length);
    }
    expect(Math.min(...counts)).toBeGreaterThanOrEqual(1);
    expect(Math.max(...counts)).toBeLessThanOrEqual(10);
    expect(counts.size).toBeGreaterThan(6);
    for (const [rate, k] of [
      [0.15, 2],
      [0.4, 4],
      [0.85, 9],
    ] as const) {
      value(maskedLoss(spy, tokens, { maskToken: mask, rate, seed: 1 }));
      expect(((spy.seen.at(-1) ?? [])[0] ?? []).filter((v) => v === mask).length).toBe(k);
    }
    value(permutationLoss(spy, tokens, { maskToken: mask, seed: 1 }));
    const expanded = spy.seen.at(-1) as number[][];
    expect(expanded).toHaveLength(10);
    // Row t masks sigma(>=t): D - t masks, nested sets.
    expect(expanded.map((r) => r.filter((v) => v === mask).length)).toEqual([10, 9, 8, 7, 6, 5, 4, 3, 2, 1]);
    spy.bias.dispose();
  });

  test('a loss trains a Transformer without leaking tensors', () => {
    const model = new Transformer({ vocabSize: 8, maxLength: 6, dim: 16, heads: 2, layers: 1, causal: false, seed: 1 });
    const opt = tf.train.adam(1e-2);
    const tokens = [
      [2, 3, 4, 5],
      [5, 4, 3, 2],
    ];
    const before = tf.memory().numTensors;
    const first = value(opt.minimize(() => mlmULoss(model, tokens, { maskToken: 1, seed: 0 }), true) as tf.Scalar);
    for (let i = 1; i < 60; i++) value(opt.minimize(() => mlmULoss(model, tokens, { maskToken: 1, seed: i }), true) as tf.Scalar);
    // Adam's moment slots are created on the first step: compare after it.
    const afterFirst = tf.memory().numTensors;
    value(opt.minimize(() => maskedLoss(model, tokens, { maskToken: 1, rate: 0.5, seed: 1 }), true) as tf.Scalar);
    value(opt.minimize(() => permutationLoss(model, tokens, { maskToken: 1, seed: 1 }), true) as tf.Scalar);
    expect(tf.memory().numTensors).toBe(afterFirst);
    expect(afterFirst).toBeGreaterThanOrEqual(before);
    let last = 0;
    for (let i = 0; i < 8; i++) last += value(mlmULoss(model, tokens, { maskToken: 1, seed: 100 + i })) / 8;
    expect(last).toBeLessThan(0.5 * first);
    opt.dispose();
    model.dispose();
  });

  test('bad inputs: missing or foreign mask token, mask token in the data, causal/bidirectional mix-ups, bad rate', () => {
    const bi = new Transformer({ vocabSize: 6, maxLength: 5, dim: 8, heads: 2, layers: 1, causal: false, seed: 1 });
    const ar = new Transformer({ vocabSize: 6, maxLength: 5, dim: 8, heads: 2, layers: 1, causal: true, seed: 1 });
    const bad = (f: () => unknown, pattern: RegExp) => {
      expect(f).toThrow(NnphysError);
      expect(f).toThrow(pattern);
    };
    const tokens = [[2, 3, 4]];
    bad(() => mlmULoss(bi, tokens, { maskToken: undefined as unknown as number }), /maskToken is required \(is the mask token missing from the tokenizer/);
    bad(() => mlmULoss(bi, tokens, { maskToken: 6 }), /maskToken must be a token id in \[0, 6\).*got 6/);
    bad(() => mlmULoss(bi, [[2, 1, 4]], { maskToken: 1 }), /tokens\[0\]\[1\] is already the mask token 1/);
    bad(() => mlmULoss(bi, [[2, 9, 4]], { maskToken: 1 }), /tokens\[0\]\[1\] = 9 is outside the vocabulary \[0, 6\)/);
    bad(() => mlmULoss(bi, [[2, 3, 4, 5, 2, 3]], { maskToken: 1 }), /longer than the model's maxLength 5/);
    bad(() => mlmULoss(ar, tokens, { maskToken: 1 }), /needs a bidirectional model/);
    bad(() => mlmULoss(bi, tokens, { maskToken: 1, estimator: 'beta' as 'subset' }), /estimator must be/);
    bad(() => maskedLoss(bi, tokens, { maskToken: 1, rate: 1.5 }), /rate must be a number in/);
    bad(() => maskedLoss(bi, tokens, { maskToken: 1, rate: 0 }), /rate must be a number in/);
    bad(() => autoregressiveLoss(bi, tokens), /needs a causal model/);
    bad(() => autoregressiveLoss(ar, [[2]]), /at least 2 tokens/);
    bad(() => mlmULoss({} as TokenModel, tokens, { maskToken: 1 }), /model must be a token model/);
    bi.dispose();
    ar.dispose();
  });
});

describe('reversal transforms', () => {
  test('token reversal keeps a prefix and trailing padding in place', () => {
    expect(reverseTokens([1, 2, 3, 4])).toEqual([4, 3, 2, 1]);
    expect(reverseTokens([9, 2, 3, 4, 0, 0], { start: 1, padToken: 0 })).toEqual([9, 4, 3, 2, 0, 0]);
    expect(() => reverseTokens([1, 2], { start: 3 })).toThrow(NnphysError);
  });

  test('entity reversal reverses chunks, keeps entity-internal order, adds delimiters when asked', () => {
    // "a1 a2 => b1 b2 b3 => c1" with entities A, B, C
    const seq = [10, 11, 1, 20, 21, 22, 1, 30];
    const spans: [number, number][] = [
      [0, 2],
      [3, 6],
      [7, 8],
    ];
    expect(reverseEntities(seq, spans)).toEqual([30, 1, 20, 21, 22, 1, 10, 11]);
    expect(reverseEntities(seq, spans, { open: 7, close: 8 })).toEqual([7, 30, 8, 1, 7, 20, 21, 22, 8, 1, 7, 10, 11, 8]);
    // Reversing twice without delimiters is the identity (entity order flips back, internal order untouched).
    const once = reverseEntities(seq, spans);
    expect(
      reverseEntities(once, [
        [0, 1],
        [2, 5],
        [6, 8],
      ]),
    ).toEqual(seq);
    expect(() => reverseEntities(seq, [[0, 3], [2, 4]])).toThrow(/overlap/);
    expect(() => reverseEntities(seq, [[0, 9]])).toThrow(/inside/);
    expect(() => reverseEntities(seq, spans, { open: 7 })).toThrow(/both open and close/);
  });
});
