// Reduced-size runs of the toys (wasm), asserting the qualitative claims of 004 §2.3 / §2.5.
import { beforeAll, describe, expect, test } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@nnphys/core';
import { circleStudy, monotoneStudy, moonsStudy, outlierStudy } from '../toys.mjs';

describe('lipschitz toys (reduced size, wasm)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test('L1: the lambda = 1 fit ignores the outlier, the MLP chases it', () => {
    const before = tf.memory().numTensors;
    const r = outlierStudy({ steps: 1000 });
    // the certificate bounds every slope by lambda = 1 (finite differences on the grid can only be lower)
    expect(r.lipschitz.maxSlope).toBeLessThanOrEqual(1 + 1e-5);
    // the outlier sits 1.63 above sin x; a slope-1 function cannot reach it from neighbours 0.2 away on sin:
    // measured pull 0.17 (full) - allow up to 0.35; the MLP passes (almost) through it (measured > 0.9)
    expect(r.lipschitz.pull).toBeLessThan(0.35);
    expect(r.mlp.pull).toBeGreaterThan(0.6);
    expect(tf.memory().numTensors).toBe(before);
  });

  test('L2: the monotonic network is monotone on [1, 6] in both variants and fits log x', () => {
    for (const variant of ['extrapolation', 'interpolation']) {
      const r = monotoneStudy({ variant, steps: 1000, inits: 1 });
      expect(r.monotonic.nonMonotoneFits).toBe(0);
      expect(r.monotonic.fuzzViolations).toBe(0);
      // noise std grows to 0.3; the fit must still be close to log x on average (measured 0.06-0.11 at full size)
      expect(r.monotonic.meanRmse).toBeLessThan(0.25);
    }
  });

  test('L3: the oscillating circle is fitted to (near) zero loss within the bound', () => {
    const r = circleStudy({ steps: 800, pointsPerCurve: 100 });
    expect(r.certificate).toBeLessThanOrEqual(r.lipschitz);
    // labels differ by 0.5 between curves; every point within 0.25 of its label = all curves separated
    expect(r.accuracy).toBe(1);
    expect(r.mse).toBeLessThan(5e-3);
  });

  test('L4: small-margin losses reach 100% training accuracy on separable moons, plain BCE does not need to', () => {
    const r = moonsStudy({ samples: 100, steps: 800 });
    for (const k of ['bce tau=16', 'hinge m=0.1', 'dynamic hinge']) expect(r[k].trainAccuracy).toBe(1);
    // the dynamic hinge keeps larger margins than hinge m = 0.1 (measured 0.40 vs 0.15 at full size)
    expect(r['dynamic hinge'].meanAbsOutput).toBeGreaterThan(r['hinge m=0.1'].meanAbsOutput);
  });
});
