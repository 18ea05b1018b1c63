import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  augment,
  cyclicShiftGroup,
  dense,
  ensemble,
  ensembleMean,
  erf,
  fitPowerLaw,
  gradientDescentMSE,
  invarianceError,
  permutationGroup,
  relu,
  rotationGroupC4,
  serial,
  trainFullBatchMSE,
} from '../src/index.js';
import { backends, maxAbsDiff, noLeak, randomMatrix } from './helpers.js';

// Spec ntk §2.5 and §3 N4/N5 (001, "Data augmentation at infinite width", "Equivariant Ensembles").

const arch = serial(dense(64, { sigmaW: 1.4, sigmaB: 0.3 }), relu(), dense(64, { sigmaW: 1.4, sigmaB: 0.3 }), erf(), dense(1, { sigmaW: 1.2, sigmaB: 0.1 }));
const c4 = rotationGroupC4(3);

describe('mu_t under full-orbit augmentation (analytic kernels, float64)', () => {
  const rng = new Random(12);
  const x = randomMatrix(rng, 5, 9);
  const y = Array.from({ length: 5 }, () => rng.normal());
  const probes = randomMatrix(rng, 6, 9).map((p) => p.map((v) => 2 * v)); // off the training orbits, larger norm
  const times = [0.5, 5, 50, Number.POSITIVE_INFINITY];

  const muT = (xTrain: number[][], yTrain: number[], t: number, variance = false) => {
    const k = arch.kernel(xTrain);
    const pred = gradientDescentMSE(k.ntk, yTrain, { learningRate: 1 });
    return (q: number[][]) => {
      const kq = arch.kernel(q, xTrain);
      if (!variance) return pred.predictTest(t, kq.ntk);
      return pred.predictTestVariance(t, kq.ntk, { trainTrain: k.nngp, testTrain: kq.nngp, testDiagonal: arch.kernelDiagonal(q).nngp });
    };
  };

  test('the kernels are invariant under the permutation action: Theta(gx, gx\') = Theta(x, x\')', () => {
    for (let g = 1; g < c4.order; g++) {
      const gx = x.map((p) => c4.act(g, p));
      const gp = probes.map((p) => c4.act(g, p));
      const a = arch.kernel(probes, x);
      const b = arch.kernel(gp, gx);
      expect(maxAbsDiff(a.ntk, b.ntk)).toBeLessThan(1e-13);
      expect(maxAbsDiff(a.nngp, b.nngp)).toBeLessThan(1e-13);
    }
  });

  test.each(times)('with complete orbits mu_t(g x) = mu_t(x) to round-off at t = %s; without augmentation it is not', (t) => {
    const aug = augment(x, y, c4);
    expect(aug.x.length).toBe(20);
    const withAug = invarianceError(muT(aug.x, aug.y, t), probes, c4);
    const without = invarianceError(muT(x, y, t), probes, c4);
    // Only the summation order differs between g x and x: float64 round-off, amplified by the
    // conditioning of Theta at t = Infinity (measured ~1e-14 .. 1e-12).
    console.log(`t = ${t}: relative invariance error with full orbits ${withAug.relative.toExponential(2)}, without augmentation ${without.relative.toExponential(2)}`);
    expect(withAug.relative).toBeLessThan(1e-10);
    expect(without.relative).toBeGreaterThan(1e-2);
    // the variance over initialisations is invariant too (it is a matrix function of the same kernels)
    expect(invarianceError(muT(aug.x, aug.y, t, true), probes, c4).relative).toBeLessThan(1e-10);
  });

  test('negative control: removing one element of one orbit breaks the invariance', () => {
    const aug = augment(x, y, c4);
    const xs = aug.x.filter((_, i) => i !== 6);
    const ys = aug.y.filter((_, i) => i !== 6);
    const broken = invarianceError(muT(xs, ys, 5), probes, c4);
    console.log(`one orbit element removed: relative invariance error ${broken.relative.toExponential(2)}`);
    expect(broken.relative).toBeGreaterThan(1e-4);
  });

  test('equivariant labels give an equivariant mu_t (sign representation of Z4)', () => {
    const sign = (g: number, v: number) => (g % 2 === 0 ? v : -v);
    const aug = augment(x, y, c4, { labels: sign });
    const e = invarianceError(muT(aug.x, aug.y, 5), probes, c4, { outputAction: sign });
    expect(e.relative).toBeLessThan(1e-10);
    // and it is not invariant (the labels are not)
    expect(invarianceError(muT(aug.x, aug.y, 5), probes, c4).relative).toBeGreaterThan(1e-2);
  });

  test('groups and augmentation validate their inputs', () => {
    expect(() => permutationGroup([[0, 1, 2], [1, 2, 0]])).toThrow(/not closed under composition/);
    expect(() => permutationGroup([[1, 0, 2]])).toThrow(/identity/);
    expect(() => permutationGroup([[0, 1], [0, 0]])).toThrow(/permutation of 0..1/);
    expect(() => augment([[1, 2, 3]], [1], c4)).toThrow(/9 columns/);
    expect(() => augment([[1, 2, 3, 4, 5, 6, 7, 8, 9]], [1, 2], c4)).toThrow(NnphysError);
    expect(() => invarianceError(() => [1], probes, c4)).toThrow(/must return 24 numbers/);
    expect(() => invarianceError(() => new Array(24).fill(Number.NaN), probes, c4)).toThrow(/NaN/);
    expect(() => ensembleMean([])).toThrow(NnphysError);
  });
});

describe.each(backends)('%s: finite deep ensembles (N5)', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('with augmentation the ensemble mean becomes invariant as M grows; without it saturates', () => {
    // Z4 cyclic shifts of 4 coordinates; iid N(0, 1) first-layer weights make the initialisation
    // distribution invariant under the induced action on parameters (Nordenfors & Flinth 2024), so the
    // M -> infinity mean is exactly invariant at every training step even at width 24.
    const group = cyclicShiftGroup(4);
    const rng = new Random(31);
    const x = randomMatrix(rng, 4, 4);
    const y = x.map((p) => Math.cos(p.reduce((s, v) => s + v, 0)));
    const probes = randomMatrix(rng, 6, 4);
    const net = serial(dense(24, { sigmaW: 1.4, sigmaB: 0.2 }), relu(), dense(1, { sigmaW: 1.4, sigmaB: 0.2 }));
    const total = 32;
    const sizes = [1, 2, 4, 8, 16, 32];
    const result = (xs: number[][], ys: number[]) => {
      const lr = 0.5 * gradientDescentMSE(net.kernel(xs).ntk, ys, { learningRate: 1 }).maxStableLearningRate;
      const xt = tf.tensor2d(xs);
      const orbits = probes.flatMap((p) => Array.from({ length: group.order }, (_, g) => group.act(g, p)));
      const q = tf.tensor2d(orbits);
      const ens = ensemble((seed) => net.init(4, seed), total, { seed: 5 });
      for (const m of ens.members) trainFullBatchMSE(m, xt, ys, { learningRate: lr, steps: 60 });
      const members = noLeak(() => ens.predict(q).members);
      ens.dispose();
      xt.dispose();
      q.dispose();
      // rms invariance error of the mean of M members, averaged over the total/M disjoint sub-ensembles
      return sizes.map((size) => {
        let sq = 0;
        for (let start = 0; start < total; start += size) {
          const { mean } = ensembleMean(members.slice(start, start + size));
          sq += invarianceError((pts) => mean.slice(0, pts.length), probes, group).rms ** 2;
        }
        return Math.sqrt(sq / (total / size));
      });
    };
    const aug = augment(x, y, group);
    const withAug = result(aug.x, aug.y);
    const without = result(x, y);
    const fit = fitPowerLaw(sizes, withAug);
    console.log(
      `[${backend}] ensemble-mean invariance rms by M ${sizes.join('/')}: augmented ${withAug.map((v) => v.toExponential(2)).join(', ')} (exponent ${fit.exponent.toFixed(2)}); not augmented ${without.map((v) => v.toExponential(2)).join(', ')}`,
    );
    // Monte-Carlo M^-1/2 (spec N5); the disjoint sub-ensembles make the estimate noisy at large M.
    expect(fit.exponent).toBeLessThan(-0.3);
    expect(fit.exponent).toBeGreaterThan(-0.8);
    // individual members are not invariant
    expect(withAug[0]).toBeGreaterThan(0.05);
    // without augmentation the error stays at the level of a single network's bias: it falls by less than 2x from M = 4 to 32
    expect(without[sizes.length - 1]).toBeGreaterThan(0.5 * (without[2] as number));
    expect(withAug[sizes.length - 1]).toBeLessThan(0.5 * (without[sizes.length - 1] as number));
  });
});
