import * as tf from '@tensorflow/tfjs-core';
import { Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  type ConditionalTable,
  TabularModel,
  binomial,
  conditionalTable,
  drawFixedRateMask,
  drawMlmUMask,
  maskedLoss,
  mixtureNLLFromTable,
  mlmUBound,
  mlmUFromTable,
  mlmULoss,
  mlmUWeight,
  orderNLLFromTable,
  permutationLoss,
} from '../src/index.js';
import {
  allSequences,
  backends,
  chiSquare,
  chiSquareCritical,
  factorial,
  jointConditionals,
  meanAndStandardError,
  permutations,
  randomConditionals,
  subsetsOfSize,
  tableOf,
} from './helpers.js';

/** -log p(x_tau | x_S) from a table. */
function loss(table: ConditionalTable, s: number, tau: number): number {
  return -(table.logp[s * table.length + tau] as number);
}
const bits = (members: readonly number[]) => members.reduce((s, i) => s | (1 << i), 0);

/** Eq. 7.5, first line: (1/D!) sum_sigma sum_t -log p(x_sigma(t) | x_sigma(<t)). */
function eq75OrdersLine1(table: ConditionalTable): number {
  const d = table.length;
  let total = 0;
  for (const sigma of permutations(d)) {
    let s = 0;
    for (const tau of sigma) {
      total += loss(table, s, tau);
      s |= 1 << tau;
    }
  }
  return total / factorial(d);
}

/** Eq. 7.5, last line: E_sigma E_{t ~ U{1..D}} D / (D - t + 1) sum_{tau in sigma(>=t)} -log p(x_tau | x_sigma(<t)). */
function eq75OrdersLine3(table: ConditionalTable): number {
  const d = table.length;
  let total = 0;
  for (const sigma of permutations(d)) {
    for (let t = 1; t <= d; t++) {
      const visible = bits(sigma.slice(0, t - 1));
      let inner = 0;
      for (const tau of sigma.slice(t - 1)) inner += loss(table, visible, tau);
      total += (1 / d) * (d / (d - t + 1)) * inner;
    }
  }
  return total / factorial(d);
}

/** Expectation of the subset estimator by enumeration of k ~ U{1..D} and M uniform of size k, with the package's weight. */
function subsetEstimatorExpectation(table: ConditionalTable): number {
  const d = table.length;
  let total = 0;
  for (let k = 1; k <= d; k++) {
    const subsets = subsetsOfSize(d, k);
    for (const m of subsets) {
      const visible = ((1 << d) - 1) & ~bits(m);
      let inner = 0;
      for (const tau of m) inner += loss(table, visible, tau);
      total += (1 / d) * (1 / subsets.length) * mlmUWeight(d, k) * inner;
    }
  }
  return total;
}

/** Expectation of the Bernoulli estimator: int_0^1 r^k (1-r)^(D-k) / r dr = B(k, D-k+1) = (k-1)! (D-k)! / D! for each mask M of size k. */
function bernoulliEstimatorExpectation(table: ConditionalTable): number {
  const d = table.length;
  let total = 0;
  for (let m = 1; m < 1 << d; m++) {
    const members = [];
    for (let i = 0; i < d; i++) if (m & (1 << i)) members.push(i);
    const k = members.length;
    const beta = (factorial(k - 1) * factorial(d - k)) / factorial(d);
    let inner = 0;
    for (const tau of members) inner += loss(table, ((1 << d) - 1) & ~m, tau);
    total += beta * inner;
  }
  return total;
}

describe('MLM-U closed form (float64 enumeration, vocabulary 3)', () => {
  for (const d of [1, 2, 3, 4]) {
    test(`D = ${d}: eq. 7.5 (both lines) = subset estimator = Bernoulli estimator = PLM Jensen bound, for arbitrary conditionals`, () => {
      const v = 3;
      const cond = randomConditionals(v, 100 + d);
      for (const x of allSequences(v, d).filter((_, i) => i % 7 === 0 || d < 3)) {
        const table = tableOf(cond, x, v);
        const closed = mlmUFromTable(table);
        const plm = permutations(d).reduce((a, sigma) => a + orderNLLFromTable(table, sigma), 0) / factorial(d);
        // All are sums of at most a few hundred float64 terms of size ~1: agreement to 1e-12 relative is round-off.
        for (const other of [eq75OrdersLine1(table), eq75OrdersLine3(table), subsetEstimatorExpectation(table), bernoulliEstimatorExpectation(table), plm]) {
          expect(Math.abs(other - closed)).toBeLessThan(1e-12 * Math.max(1, closed));
        }
      }
    });
  }

  test('D = 2: MLM-U equals the identities of App. D.2 (eqs. D.1 and D.2)', () => {
    const v = 3;
    const cond = randomConditionals(v, 7);
    for (const x of allSequences(v, 2)) {
      const t = tableOf(cond, x, v);
      // positions 0, 1 are x1, x2; S bitmask of visible positions
      const lp = (s: number, tau: number) => t.logp[s * 2 + tau] as number;
      const logP_x1 = lp(0, 0);
      const logP_x2 = lp(0, 1);
      const logP_x2_given_x1 = lp(0b01, 1);
      const logP_x1_given_x2 = lp(0b10, 0);
      const d1 = 0.5 * (logP_x2_given_x1 + logP_x1) + 0.5 * (logP_x1_given_x2 + logP_x2);
      const d2 = 0.5 * (logP_x1 + logP_x2) + 0.5 * (logP_x1_given_x2 + logP_x2_given_x1);
      expect(Math.abs(-d1 - mlmUFromTable(t))).toBeLessThan(1e-13);
      expect(Math.abs(-d2 - mlmUFromTable(t))).toBeLessThan(1e-13);
    }
  });

  test('consistent conditionals (from a joint): L(x) = mixture NLL = every order NLL = -log p(x)', () => {
    const v = 3;
    const d = 3;
    const rng = new Random(11);
    const joint = Float64Array.from({ length: v ** d }, () => Math.exp(rng.normal(0, 1.5)));
    const z = joint.reduce((a, b) => a + b, 0);
    joint.forEach((p, i) => {
      joint[i] = p / z;
    });
    const cond = jointConditionals(joint, v, d);
    allSequences(v, d).forEach((x, i) => {
      const t = tableOf(cond, x, v);
      const target = -Math.log(joint[i] as number);
      expect(mlmUFromTable(t)).toBeCloseTo(target, 11);
      expect(mixtureNLLFromTable(t)).toBeCloseTo(target, 11);
      for (const sigma of permutations(d)) expect(orderNLLFromTable(t, sigma)).toBeCloseTo(target, 11);
    });
  });

  test('arbitrary conditionals: L(x) >= mixture NLL per sequence, q_sigma and the mixture are normalised, E_data L >= H(p_data)', () => {
    const v = 3;
    const d = 3;
    const cond = randomConditionals(v, 21, 2);
    const seqs = allSequences(v, d);
    const tables = seqs.map((x) => tableOf(cond, x, v));
    let mixtureMass = 0;
    const orderMass = permutations(d).map(() => 0);
    for (const t of tables) {
      expect(mlmUFromTable(t)).toBeGreaterThanOrEqual(mixtureNLLFromTable(t) - 1e-12);
      mixtureMass += Math.exp(-mixtureNLLFromTable(t));
      permutations(d).forEach((sigma, j) => {
        orderMass[j] = (orderMass[j] as number) + Math.exp(-orderNLLFromTable(t, sigma));
      });
    }
    expect(mixtureMass).toBeCloseTo(1, 12);
    for (const m of orderMass) expect(m).toBeCloseTo(1, 12);
    // Random data distributions: the data-averaged bound is above the data entropy (cross-entropy >= entropy).
    const rng = new Random(5);
    for (let trial = 0; trial < 5; trial++) {
      const p = seqs.map(() => Math.exp(rng.normal(0, 2)));
      const z = p.reduce((a, b) => a + b, 0);
      let expectedL = 0;
      let entropy = 0;
      p.forEach((w, i) => {
        expectedL += (w / z) * mlmUFromTable(tables[i] as ConditionalTable);
        entropy -= (w / z) * Math.log(w / z);
      });
      expect(expectedL).toBeGreaterThanOrEqual(entropy);
    }
  });
});

describe('mask samplers', () => {
  test('subset estimator: k ~ U{1..D} and, given k, every subset equally likely', () => {
    const d = 4;
    const rng = new Random(3);
    const n = 24000;
    const byK = [0, 0, 0, 0];
    const bySubset = new Map<number, number>();
    for (let i = 0; i < n; i++) {
      const draw = drawMlmUMask(d, rng, 'subset');
      const k = draw.masked.length;
      expect(draw.weight).toBe(d / k);
      byK[k - 1] = (byK[k - 1] as number) + 1;
      const key = bits(draw.masked);
      bySubset.set(key, (bySubset.get(key) ?? 0) + 1);
    }
    expect(chiSquare(byK, byK.map(() => n / d))).toBeLessThan(chiSquareCritical(d - 1));
    const observed: number[] = [];
    const expected: number[] = [];
    for (let s = 1; s < 1 << d; s++) {
      const k = bits([]) + [0, 1, 2, 3].filter((i) => s & (1 << i)).length;
      observed.push(bySubset.get(s) ?? 0);
      expected.push(n / d / binomial(d, k));
    }
    expect(chiSquare(observed, expected)).toBeLessThan(chiSquareCritical(observed.length - 1));
  });

  test('Bernoulli estimator: k is uniform on {0..D} (Beta-binomial with r ~ U(0,1)) and the weight is 1/r >= 1', () => {
    const d = 4;
    const rng = new Random(4);
    const n = 25000;
    const byK = new Array(d + 1).fill(0);
    for (let i = 0; i < n; i++) {
      const draw = drawMlmUMask(d, rng, 'bernoulli');
      byK[draw.masked.length]++;
      if (draw.masked.length > 0) expect(draw.weight).toBeGreaterThanOrEqual(1);
      else expect(draw.weight).toBe(0);
    }
    expect(chiSquare(byK, byK.map(() => n / (d + 1)))).toBeLessThan(chiSquareCritical(d));
  });

  test('fixed-rate MLM masks exactly max(1, round(r D)) tokens', () => {
    const rng = new Random(1);
    for (const [d, r, k] of [
      [10, 0.15, 2],
      [10, 0.4, 4],
      [10, 0.85, 9],
      [3, 0.15, 1],
      [4, 1, 4],
    ] as const) {
      const draw = drawFixedRateMask(d, r, rng);
      expect(draw.masked.length).toBe(k);
      expect(new Set(draw.masked).size).toBe(k);
      expect(draw.weight).toBe(d / k);
    }
  });
});

describe.each(backends)('MLM-U on a tabular model (%s)', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  const v = 3;
  const d = 4;
  const sequences = [
    [0, 1, 2, 0],
    [2, 2, 1, 0],
    [1, 0, 0, 2],
  ];

  /** The model's own conditionals in float64, read from its table (independent of conditionalTable). */
  function modelConditionals(model: TabularModel): (pattern: readonly number[], tau: number) => Float64Array {
    const values = model.table.dataSync();
    return (pattern, tau) => {
      let index = 0;
      for (let i = d - 1; i >= 0; i--) index = index * (v + 1) + (pattern[i] as number);
      const logits = Array.from({ length: v }, (_, j) => values[(index * d + tau) * v + j] as number);
      const m = Math.max(...logits);
      const e = logits.map((l) => Math.exp(l - m));
      const s = e.reduce((a, b) => a + b, 0);
      return Float64Array.from(e, (x) => x / s);
    };
  }

  test('mlmUBound (enumeration through the model) equals the float64 closed form of its own conditionals', () => {
    const model = new TabularModel({ vocabSize: v, length: d, seed: 2 });
    const cond = modelConditionals(model);
    const before = tf.memory().numTensors;
    for (const x of sequences) {
      const exact = mlmUFromTable(tableOf(cond, x, v));
      // Same float32 logits, both normalised in float64: only summation order differs.
      expect(Math.abs(mlmUBound(model, x, { maskToken: model.maskToken }) - exact)).toBeLessThan(1e-9 * exact);
      const table = conditionalTable(model, x, { maskToken: model.maskToken, batchSize: 5 });
      expect(mlmUFromTable(table)).toBeCloseTo(exact, 9);
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });

  /** Monte-Carlo batches of a loss on `copies` copies of each sequence; returns per-batch means. */
  function monteCarlo(run: (tokens: number[][], seed: number) => tf.Scalar, copies: number, batches: number): number[] {
    const tokens = sequences.flatMap((x) => Array.from({ length: copies }, () => x));
    const out: number[] = [];
    for (let i = 0; i < batches; i++) {
      const l = run(tokens, 1000 + i);
      out.push(l.dataSync()[0] as number);
      l.dispose();
    }
    return out;
  }

  test('mlmULoss (subset estimator) is unbiased: Monte-Carlo mean within 4 standard errors of the enumerated eq. 7.5', () => {
    const model = new TabularModel({ vocabSize: v, length: d, seed: 3 });
    const cond = modelConditionals(model);
    const exact = sequences.reduce((a, x) => a + mlmUFromTable(tableOf(cond, x, v)), 0) / sequences.length;
    const before = tf.memory().numTensors;
    const values = monteCarlo((tokens, seed) => mlmULoss(model, tokens, { maskToken: model.maskToken, seed }), 700, 24);
    expect(tf.memory().numTensors).toBe(before);
    const { mean, se } = meanAndStandardError(values);
    // A correct estimator fails a 4-sigma band with probability ~6e-5.
    expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
    // The band must be informative: the standard error is small next to the value.
    expect(se).toBeLessThan(0.01 * exact);
    model.dispose();
  });

  test('Bernoulli estimator converges to the same value (heavy-tailed: 5 standard errors)', () => {
    const model = new TabularModel({ vocabSize: v, length: d, seed: 3 });
    const exact = sequences.reduce((a, x) => a + mlmUBound(model, x, { maskToken: model.maskToken }), 0) / sequences.length;
    const values = monteCarlo((tokens, seed) => mlmULoss(model, tokens, { maskToken: model.maskToken, seed, estimator: 'bernoulli' }), 1000, 24);
    const { mean, se } = meanAndStandardError(values);
    // The 1/r weight has a tail P(w > u) ~ D / (2 u^2): the batch means are close to normal but with a heavier tail, hence 5 sigma.
    expect(Math.abs(mean - exact)).toBeLessThan(5 * se);
    model.dispose();
  });

  test('permutationLoss (PLM, all D positions of one sigma) has the same expectation', () => {
    const model = new TabularModel({ vocabSize: v, length: d, seed: 4 });
    const exact = sequences.reduce((a, x) => a + mlmUBound(model, x, { maskToken: model.maskToken }), 0) / sequences.length;
    const values = monteCarlo((tokens, seed) => permutationLoss(model, tokens, { maskToken: model.maskToken, seed }), 200, 20);
    const { mean, se } = meanAndStandardError(values);
    expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
    model.dispose();
  });

  test('maskedLoss at rate r estimates (D/k) E_{|M| = k} sum_{tau in M} -log p(x_tau | x_rest) with k = round(r D)', () => {
    const model = new TabularModel({ vocabSize: v, length: d, seed: 5 });
    const cond = modelConditionals(model);
    const k = 2; // round(0.5 * 4)
    const exact =
      sequences.reduce((acc, x) => {
        const t = tableOf(cond, x, v);
        const subsets = subsetsOfSize(d, k);
        let sum = 0;
        for (const m of subsets) for (const tau of m) sum += loss(t, ((1 << d) - 1) & ~bits(m), tau);
        return acc + ((d / k) * sum) / subsets.length;
      }, 0) / sequences.length;
    const values = monteCarlo((tokens, seed) => maskedLoss(model, tokens, { maskToken: model.maskToken, rate: 0.5, seed }), 500, 20);
    const { mean, se } = meanAndStandardError(values);
    expect(Math.abs(mean - exact)).toBeLessThan(4 * se);
    model.dispose();
  });

  test('a consistent tabular model (fromJoint) has mlmUBound = -log p(x)', () => {
    const rng = new Random(9);
    const joint = Float64Array.from({ length: v ** d }, () => Math.exp(rng.normal(0, 1)));
    const z = joint.reduce((a, b) => a + b, 0);
    const model = TabularModel.fromJoint(joint, { vocabSize: v, length: d });
    allSequences(v, d)
      .filter((_, i) => i % 9 === 0)
      .forEach((x) => {
        const i = x.reduceRight((acc, xi) => acc * v + xi, 0);
        // float32 logits of log-probabilities: ~1e-6 relative per conditional, D conditionals.
        expect(Math.abs(mlmUBound(model, x, { maskToken: model.maskToken }) + Math.log((joint[i] as number) / z))).toBeLessThan(2e-5);
      });
    model.dispose();
  });

  test('same seed, same loss; different seeds, different masks', () => {
    const model = new TabularModel({ vocabSize: v, length: d, seed: 6 });
    const value = (seed: number) => {
      const l = mlmULoss(model, sequences, { maskToken: model.maskToken, seed });
      const out = l.dataSync()[0] as number;
      l.dispose();
      return out;
    };
    expect(value(1)).toBe(value(1));
    const distinct = new Set([1, 2, 3, 4, 5].map(value));
    expect(distinct.size).toBeGreaterThan(1);
    model.dispose();
  });
});
