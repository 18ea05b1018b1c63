import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, Random, checkGradients, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { LipschitzLinear, type NormKind, kindNorm, layerNorms, LipschitzNetwork, normKinds, normalizeWeight, spectralNorm } from '../src/index.js';
import { backends, randomMatrix, refKindNorm } from './helpers.js';

const shapes: Array<[number, number]> = [
  [1, 1],
  [3, 5],
  [7, 2],
  [20, 20],
  [64, 3],
];

describe.each(backends)('weight normalisation on %s', (backend) => {
  beforeAll(() => initBackend(backend));

  test('every kind x normalisation lands inside its ball (float64 norm of the stored float32 weights <= c)', () => {
    const rng = new Random(1);
    for (const kind of normKinds) {
      for (const normalization of ['vectorwise', 'matrix', 'matrix-scaled'] as const) {
        for (const [inputs, outputs] of shapes) {
          for (const scale of [0.01, 1, 30]) {
            const c = 0.3 + 3 * rng.uniform();
            const w = tf.tensor2d(randomMatrix(rng, inputs, outputs, scale), [inputs, outputs]);
            const out = normalizeWeight(w, { kind, maxNorm: c, normalization });
            const n = refKindNorm(out.dataSync(), inputs, outputs, kind);
            // Exact bound: the target radius is shrunk by (n + 4) 2^-23, more than the float32 rounding of the result.
            expect(n).toBeLessThanOrEqual(c);
            // and it is a scaling of w by positive factors (same signs, no mixing)
            const a = w.dataSync();
            const b = out.dataSync();
            for (let i = 0; i < a.length; i++) expect(Math.sign(b[i] as number)).toBe(Math.sign(a[i] as number));
            w.dispose();
            out.dispose();
          }
        }
      }
    }
  });

  test('vectorwise / matrix are projections: weights already inside the ball are returned bit for bit', () => {
    const rng = new Random(2);
    for (const kind of normKinds) {
      for (const normalization of ['vectorwise', 'matrix'] as const) {
        for (const [inputs, outputs] of shapes) {
          const raw = randomMatrix(rng, inputs, outputs);
          const n = refKindNorm(raw, inputs, outputs, kind);
          const c = 2 * n + 0.1; // comfortably inside, beyond the float32 safety margin
          const w = tf.tensor2d(raw, [inputs, outputs]);
          const out = normalizeWeight(w, { kind, maxNorm: c, normalization });
          expect(Array.from(out.dataSync())).toEqual(Array.from(raw));
          w.dispose();
          out.dispose();
        }
      }
    }
  });

  test('vectorwise matches an independent slice-by-slice float64 reference (eq. 2.8 generalised)', () => {
    const rng = new Random(3);
    for (const kind of normKinds) {
      const [inputs, outputs] = [6, 4];
      const raw = randomMatrix(rng, inputs, outputs, 2);
      const c = 1.3;
      const w = tf.tensor2d(raw, [inputs, outputs]);
      const out = normalizeWeight(w, { kind, maxNorm: c }).dataSync();
      w.dispose();
      const budget = c * (1 - ((kind === 'one' ? outputs : kind === 'one-inf' ? 1 : inputs) + 4) * 2 ** -23);
      for (let i = 0; i < inputs; i++) {
        for (let j = 0; j < outputs; j++) {
          // slice of entry (input i, output j)
          let s = 0;
          if (kind === 'one') for (let jj = 0; jj < outputs; jj++) s += Math.abs(raw[i * outputs + jj] as number);
          else if (kind === 'inf') for (let ii = 0; ii < inputs; ii++) s += Math.abs(raw[ii * outputs + j] as number);
          else if (kind === 'two-inf') s = Math.sqrt(Array.from({ length: inputs }, (_, ii) => (raw[ii * outputs + j] as number) ** 2).reduce((x, y) => x + y, 0));
          else s = Math.abs(raw[i * outputs + j] as number);
          const expected = (raw[i * outputs + j] as number) / Math.max(1, s / budget);
          expect(out[i * outputs + j]).toBeCloseTo(expected, 6);
        }
      }
    }
  });

  test('gradient through Norm (reparam, Algorithm 1) matches central finite differences', () => {
    const rng = new Random(4);
    for (const kind of normKinds) {
      for (const normalization of ['vectorwise', 'matrix', 'matrix-scaled'] as const) {
        for (const scale of [0.05, 3]) {
          // 3 x 4 = 12 entries: checked coordinate by coordinate
          const w = tf.tensor2d(randomMatrix(rng, 3, 4, scale), [3, 4]);
          const r = tf.tensor2d(randomMatrix(rng, 3, 4), [3, 4]);
          // Norm is piecewise smooth (kinks where a slice norm crosses c, or where the largest slice
          // changes for the matrix forms); with scale 3 vs c = 0.7 (all active) or 0.05 (all inactive)
          // no kink lies within eps = 1e-2 of this seed's entries.
          const res = checkGradients((x) => tf.sum(tf.mul(normalizeWeight(x as tf.Tensor2D, { kind, maxNorm: 0.7, normalization }), r)) as tf.Scalar, [w], { epsilon: 1e-2 });
          // float32 central differences: f ~ O(1) rounds at ~1e-7, / 2 eps -> ~1e-5 absolute; curvature O(eps^2)
          expect(res.maxRelativeError, `${kind}/${normalization}/${scale}`).toBeLessThan(2e-2);
          w.dispose();
          r.dispose();
        }
      }
    }
  });

  test('project mode: the raw weight is mapped into the ball and the forward pass uses it as is', () => {
    const layer = new LipschitzLinear({ inputs: 5, outputs: 3, kind: 'inf', maxNorm: 0.5, mode: 'project', seed: 7 });
    tf.tidy(() => layer.weight.assign(tf.mul(layer.weight, 100)));
    expect(refKindNorm(layer.weight.dataSync(), 5, 3, 'inf')).toBeGreaterThan(0.5);
    layer.project();
    expect(refKindNorm(layer.weight.dataSync(), 5, 3, 'inf')).toBeLessThanOrEqual(0.5);
    expect(layer.constrainedNorm()).toBeLessThanOrEqual(0.5);
    const before = tf.memory().numTensors;
    const x = tf.tensor2d([[1, 2, 3, 4, 5]]);
    const y = layer.apply(x);
    const expected = tf.tidy(() => tf.add(tf.matMul(x, layer.weight), layer.bias as tf.Variable));
    expect(Array.from(y.dataSync())).toEqual(Array.from(expected.dataSync()));
    tf.dispose([x, y, expected]);
    expect(tf.memory().numTensors).toBe(before);
    layer.dispose();
  });

  test('operator norms: kindNorm equals the reference; spectral norm of a known matrix; layerNorms report', () => {
    const rng = new Random(5);
    const raw = randomMatrix(rng, 4, 6);
    for (const kind of normKinds) expect(kindNorm(raw, 4, 6, kind)).toBeCloseTo(refKindNorm(raw, 4, 6, kind), 10);
    // K = diag-ish: W = [[3, 0], [0, -4]] rotated by nothing: singular values 4, 3
    expect(spectralNorm([3, 0, 0, -4], 2, 2)).toBeCloseTo(4, 8);
    // rank one u v^T has spectral norm |u| |v|
    const u = [1, 2, 2];
    const v = [3, 4];
    const k = u.flatMap((ui) => v.map((vj) => ui * vj));
    expect(spectralNorm(k, 3, 2)).toBeCloseTo(15, 8);
    const net = new LipschitzNetwork({ inputs: 3, hidden: [4], outputs: 1, lipschitz: 1, norm: 2, seed: 1 });
    const report = layerNorms(net);
    expect(report).toHaveLength(2);
    expect(report[0]?.twoInf).toBeLessThanOrEqual(1);
    expect(report[1]?.inf).toBeLessThanOrEqual(1);
    // ||W||_2 <= sqrt(outputs) ||W||_{2->inf}
    expect(report[0]?.spectral).toBeLessThanOrEqual(Math.sqrt(4) * (report[0]?.twoInf as number) + 1e-9);
    net.dispose();
  });

  test('LipschitzLinear: no tensor leaks in reparam forward/backward', () => {
    const layer = new LipschitzLinear({ inputs: 4, outputs: 4, kind: 'two-inf', maxNorm: 1, seed: 3 });
    const x = tf.tensor2d(randomMatrix(new Random(1), 8, 4), [8, 4]);
    const before = tf.memory().numTensors;
    const g = tf.variableGrads(() => tf.sum(layer.apply(x)) as tf.Scalar, layer.trainableVariables());
    tf.dispose(Object.values(g.grads));
    g.value.dispose();
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    layer.dispose();
  });
});

describe('normalisation errors', () => {
  beforeAll(() => initBackend('cpu'));
  test('bad options name the argument', () => {
    const w = tf.zeros([2, 2]) as tf.Tensor2D;
    expect(() => normalizeWeight(w, { kind: 'two' as NormKind, maxNorm: 1 })).toThrow(/kind/);
    expect(() => normalizeWeight(w, { kind: 'inf', maxNorm: 0 })).toThrow(NnphysError);
    expect(() => normalizeWeight(w, { kind: 'inf', maxNorm: -1 })).toThrow(/maxNorm/);
    expect(() => normalizeWeight(w, { kind: 'inf', maxNorm: Number.NaN })).toThrow(/maxNorm/);
    expect(() => new LipschitzLinear({ inputs: 2, outputs: 2, kind: 'inf', maxNorm: 1, mode: 'project', normalization: 'matrix-scaled' })).toThrow(/projection/);
    w.dispose();
  });
});
