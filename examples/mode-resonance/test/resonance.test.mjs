// The qualitative results of 004 §3.3.1 (Figs. 3.3) at the reduced, seeded 'small' size (10k training events,
// full-batch Adam, 40k test events). Tolerances: each mass bin of the test sample holds ~2000-4000 background
// events, so a per-bin FPR near 0.1 has a binomial standard error of ~0.006; two independently trained models
// add their training noise on top. The bounds below are several of those errors wide, and far from the values a
// model without the claimed property gives (printed in the README for seed 1).
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, it } from 'vitest';
import { FPR_EDGES, runResonance } from '../resonance.mjs';

describe('004 §3.3.1 simple model (small scale, seed 1)', () => {
  let r;
  let tensorsBefore;
  beforeAll(async () => {
    await initBackend('wasm');
    tensorsBefore = tf.memory().numTensors;
    r = await runResonance({ scale: 'small', seed: 1, backend: 'wasm', models: ['unconstrained', 'agnostic', 'mode0', 'mode1', 'mode2'] });
  });

  it('leaks no tensors', () => {
    expect(tf.memory().numTensors).toBe(tensorsBefore);
  });

  it('the unconstrained classifier sculpts a peak at the signal mass m = 0.2', () => {
    const { fpr50 } = r.models.unconstrained;
    const peakBins = [5, 6]; // [0, 0.2] and [0.2, 0.4]
    expect(FPR_EDGES[5]).toBeCloseTo(0, 12);
    const others = fpr50.filter((_, b) => !peakBins.includes(b)).sort((a, b) => a - b);
    const median = others[others.length >> 1];
    for (const b of peakBins) expect(fpr50[b]).toBeGreaterThan(5 * median);
    expect(r.models.unconstrained.fprNonLinearity).toBeGreaterThan(2);
  });

  it('MoDe[0] flattens the false-positive rate across mass bins, at a cost in AUC', () => {
    const m0 = r.models.mode0;
    expect(m0.fprRelativeSpread).toBeLessThan(0.4 * r.models.agnostic.fprRelativeSpread);
    expect(m0.fprRelativeSpread).toBeLessThan(0.15 * r.models.unconstrained.fprRelativeSpread);
    expect(m0.fprNonLinearity).toBeLessThan(0.3); // no sculpted peak
    expect(m0.inverseJSD).toBeGreaterThan(5 * r.models.agnostic.inverseJSD);
    expect(m0.auc).toBeLessThan(r.models.mode1.auc - 0.1);
  });

  it.each(['mode1', 'mode2'])('%s follows the m-agnostic classifier (linear in m, no peak)', (id) => {
    const m = r.models[id];
    const agn = r.models.agnostic;
    for (let b = 0; b < m.fpr50.length; b++) expect(Math.abs(m.fpr50[b] - agn.fpr50[b])).toBeLessThan(0.04);
    expect(Math.abs(m.auc - agn.auc)).toBeLessThan(0.02);
    expect(m.fprSlope).toBeLessThan(0.5 * agn.fprSlope); // both negative: FPR falls with m like the m-agnostic one
    expect(m.fprNonLinearity).toBeLessThan(0.25 * r.models.unconstrained.fprNonLinearity);
  });
});
