// The reduced-size mode of the example (scale 'small'): checks the qualitative claims it prints.
import { initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { invarianceExperiment, trackingExperiment } from '../src/experiments.mjs';

describe('ntk-dynamics (small)', () => {
  beforeAll(async () => {
    await initBackend('cpu');
  });

  test('wide networks track the infinite-width prediction; the ensemble mean tracks mu_t', () => {
    const r = trackingExperiment('small');
    const dev = r.byWidth.map((b) => b.deviation);
    for (let i = 1; i < dev.length; i++) expect(dev[i]).toBeLessThan(dev[i - 1]);
    expect(r.exponent).toBeLessThan(-0.3);
    const last = r.trajectory[r.trajectory.length - 1];
    // ensemble mean within its Monte-Carlo error of mu_t (rms z-score ~ 1), and close in absolute terms
    expect(last.zScore).toBeLessThan(3);
    expect(last.relativeDeviation).toBeLessThan(0.1);
    // both learned the target on the test grid (MSE of predicting 0 is ~0.5)
    expect(last.mseMu).toBeLessThan(0.1);
    expect(last.mseEnsemble).toBeLessThan(0.1);
  });

  test('mu_t is invariant to round-off with full orbits; finite ensembles approach invariance with M', () => {
    const r = invarianceExperiment('small');
    for (const a of r.analytic) {
      expect(a.augmented).toBeLessThan(1e-12);
      expect(a.plain).toBeGreaterThan(0.1);
    }
    expect(r.exponent).toBeLessThan(-0.3);
    expect(r.augmented[r.augmented.length - 1]).toBeLessThan(0.6 * r.plain[r.plain.length - 1]);
    expect(r.lossRatio).toBeLessThan(0.5);
  });
});
