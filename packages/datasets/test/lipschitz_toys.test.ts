import { NnphysError, initBackend } from '@nnphys/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { logMonotone, oscillatingCircle, oscillatingRadius, sinWithOutlier, twoMoons } from '../src/index.js';
import { ksCritical001, ksStatistic, mean, normalCdf, variance } from './stats.js';

function minCrossDistance(x: number[][], y: number[]): number {
  let best = Infinity;
  for (let i = 0; i < x.length; i++) {
    if (y[i] !== 0) continue;
    for (let j = 0; j < x.length; j++) {
      if (y[j] !== 1) continue;
      best = Math.min(best, Math.hypot(x[i]![0]! - x[j]![0]!, x[i]![1]! - x[j]![1]!));
    }
  }
  return best;
}

describe('twoMoons', () => {
  test('noiseless points lie on their half circles; classes balanced; margin 0.5 (+gap)', () => {
    const { x, y } = twoMoons({ samples: 401, seed: 1 });
    expect(y.filter((v) => v === 0).length).toBe(200);
    expect(y.filter((v) => v === 1).length).toBe(201);
    x.forEach((p, i) => {
      const [a, b] = p as [number, number];
      if (y[i] === 0) {
        expect(Math.hypot(a, b)).toBeCloseTo(1, 12);
        expect(b).toBeGreaterThanOrEqual(-1e-12);
      } else {
        expect(Math.hypot(a - 1, b - 0.5)).toBeCloseTo(1, 12);
        expect(b).toBeLessThanOrEqual(0.5 + 1e-12);
      }
    });
    // the closest pair of the two curves is (1, 0) and (1, -0.5); sampled points are at least that far apart
    const d0 = minCrossDistance(x, y);
    expect(d0).toBeGreaterThanOrEqual(0.5 - 1e-12);
    expect(d0).toBeLessThan(0.52);
    const d1 = minCrossDistance(twoMoons({ samples: 401, gap: 0.3, seed: 1 }).x, twoMoons({ samples: 401, gap: 0.3, seed: 1 }).y);
    expect(d1).toBeGreaterThan(d0 + 0.2);
  });

  test('noise is N(0, noise^2) per coordinate', () => {
    const clean = twoMoons({ samples: 4000, shuffle: false });
    const noisy = twoMoons({ samples: 4000, noise: 0.2, shuffle: false, seed: 3 });
    const dev = noisy.x.flatMap((p, i) => [p[0]! - clean.x[i]![0]!, p[1]! - clean.x[i]![1]!]);
    expect(ksStatistic(dev, (v) => normalCdf(v, 0, 0.2))).toBeLessThan(ksCritical001(dev.length));
  });

  test('deterministic per seed, shuffled, bad input', () => {
    expect(twoMoons({ samples: 50, noise: 0.1, seed: 4 })).toEqual(twoMoons({ samples: 50, noise: 0.1, seed: 4 }));
    expect(twoMoons({ samples: 50, noise: 0.1, seed: 4 })).not.toEqual(twoMoons({ samples: 50, noise: 0.1, seed: 5 }));
    expect(twoMoons({ samples: 50, seed: 4 }).y.slice(0, 25)).not.toEqual(new Array(25).fill(0));
    expect(() => twoMoons({ samples: 10, noise: -1 })).toThrow(/twoMoons: noise must be a finite number in \[0, Infinity\], got -1/);
    expect(() => twoMoons({ samples: 1 })).toThrow(NnphysError);
  });
});

describe('sinWithOutlier (004 eq. 2.10)', () => {
  test('defaults: 31 points on [-3, 3], outlier in the middle with sigma 1, others 0.1', () => {
    const d = sinWithOutlier({ seed: 1 });
    expect(d.x.length).toBe(31);
    expect(d.x[0]).toEqual([-3]);
    expect(d.x[30]).toEqual([3]);
    expect(d.outlier).toBe(15);
    expect(d.sigma[15]).toBe(1);
    expect(d.sigma.filter((s) => s === 0.1).length).toBe(30);
    d.x.forEach((p, i) => {
      expect(d.yTrue[i]).toBe(Math.sin(p[0]!));
    });
  });

  test('standardized residuals are N(0, 1)', () => {
    // many points so the KS test has power; the outlier's residual is included with its own sigma
    const d = sinWithOutlier({ samples: 5001, seed: 2, sigma: 0.05 });
    const z = d.y.map((v, i) => (v - d.yTrue[i]!) / d.sigma[i]!);
    expect(ksStatistic(z, (v) => normalCdf(v))).toBeLessThan(ksCritical001(z.length));
    expect(sinWithOutlier({ seed: 9 })).toEqual(sinWithOutlier({ seed: 9 }));
    expect(() => sinWithOutlier({ samples: 5, outlierIndex: 5 })).toThrow(/outlierIndex must be an integer in \[0, 4\], got 5/);
  });
});

describe('logMonotone (004 eq. 2.11)', () => {
  test('extrapolation: data on [1, 3], gap (3, 6]; variance linear in x from 0.01^2 to 0.3^2', () => {
    const d = logMonotone({ seed: 1 });
    expect(d.x.length).toBe(30);
    expect(d.x.every(([v]) => v! >= 1 && v! <= 3)).toBe(true);
    expect(d.gap).toEqual([3, 6]);
    expect(d.domain).toEqual([1, 6]);
    const xs = d.x.map(([v]) => v!);
    const v = d.sigma.map((s) => s * s);
    xs.forEach((x, i) => {
      expect(v[i]).toBeCloseTo(0.01 ** 2 + (0.3 ** 2 - 0.01 ** 2) * ((x - 1) / 2), 12);
    });
    xs.forEach((x, i) => {
      expect(d.yTrue[i]).toBe(Math.log(x));
    });
  });

  test("interpolation: half on [1, 3], half on [4.5, 6], nothing in between; 'std' growth", () => {
    const d = logMonotone({ variant: 'interpolation', noiseGrowth: 'std', seed: 1 });
    const xs = d.x.map(([v]) => v!);
    expect(xs.filter((x) => x <= 3).length).toBe(15);
    expect(xs.filter((x) => x >= 4.5).length).toBe(15);
    expect(xs.some((x) => x > 3 && x < 4.5)).toBe(false);
    expect(d.gap).toEqual([3, 4.5]);
    xs.forEach((x, i) => {
      expect(d.sigma[i]).toBeCloseTo(0.01 + 0.29 * ((x - 1) / 5), 12);
    });
  });

  test('standardized residuals are N(0, 1)', () => {
    const d = logMonotone({ samples: 4000, seed: 5 });
    const z = d.y.map((v, i) => (v - d.yTrue[i]!) / d.sigma[i]!);
    expect(ksStatistic(z, (v) => normalCdf(v))).toBeLessThan(ksCritical001(z.length));
    expect(() => logMonotone({ trainRanges: [[-1, 2]] })).toThrow(/x > 0/);
    expect(() => logMonotone({ variant: 'both' as never })).toThrow(/variant must be one of/);
  });
});

describe('oscillatingCircle (004 eq. 2.12)', () => {
  test('every point lies on rho_k(theta) = R_k + alpha cos(omega theta), labels 0 / 0.5 / 1 inside out', () => {
    const d = oscillatingCircle({ omega: 20, pointsPerCurve: 300 });
    expect(d.radii).toEqual([1, 1.5, 2]);
    expect(d.x.length).toBe(900);
    d.x.forEach(([a, b], i) => {
      const rho = Math.hypot(a!, b!);
      expect(rho).toBeCloseTo(oscillatingRadius(d.theta[i]!, d.radii[d.curve[i]!]!, 0.18, 20), 12);
      expect(d.y[i]).toBe([0, 0.5, 1][d.curve[i]!]);
    });
    // curves never cross: at each angle the radius is ordered by label
    for (let i = 0; i < 300; i++) {
      const r0 = Math.hypot(...(d.x[i] as [number, number]));
      const r1 = Math.hypot(...(d.x[300 + i] as [number, number]));
      const r2 = Math.hypot(...(d.x[600 + i] as [number, number]));
      expect(r0 < r1 && r1 < r2).toBe(true);
    }
  });

  test('random sampling is seeded; omega is required; curves may not cross', () => {
    const a = oscillatingCircle({ omega: 5, sampling: 'random', seed: 1 });
    expect(oscillatingCircle({ omega: 5, sampling: 'random', seed: 1 })).toEqual(a);
    expect(oscillatingCircle({ omega: 5, sampling: 'random', seed: 2 }).theta).not.toEqual(a.theta);
    expect(() => oscillatingCircle({} as never)).toThrow(/omega is required/);
    expect(() => oscillatingCircle({ omega: 2.5 })).toThrow(/omega must be an integer/);
    expect(() => oscillatingCircle({ omega: 3, alpha: 0.3 })).toThrow(/do not cross/);
  });
});

describe.each(['cpu', 'wasm'] as const)('on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  test('no tensors are created; outputs do not depend on the backend', () => {
    const before = tf.memory().numTensors;
    const a = [twoMoons({ samples: 20, noise: 0.1, seed: 1 }), sinWithOutlier({ seed: 1 }), logMonotone({ seed: 1 }), oscillatingCircle({ omega: 3, sampling: 'random', seed: 1 })];
    expect(tf.memory().numTensors).toBe(before);
    expect(JSON.stringify(a).length).toBeGreaterThan(0);
    // moons must be separable at noise 0: a float32 linear-algebra-free check on this backend
    const { x, y } = twoMoons({ samples: 100, seed: 2 });
    const cross = tf.tidy(() => {
      const p = tf.tensor2d(x.filter((_, i) => y[i] === 0));
      const q = tf.tensor2d(x.filter((_, i) => y[i] === 1));
      const d2 = tf.sum(tf.square(tf.sub(tf.expandDims(p, 1), tf.expandDims(q, 0))), 2);
      return tf.min(d2).dataSync()[0] as number;
    });
    expect(Math.sqrt(cross)).toBeGreaterThan(0.49);
    expect(tf.memory().numTensors).toBe(before);
  });
});

test('mean/variance helpers agree on a trivial sample', () => {
  expect(mean([1, 2, 3])).toBe(2);
  expect(variance([1, 2, 3])).toBe(1);
});
