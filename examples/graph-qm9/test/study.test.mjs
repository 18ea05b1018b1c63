// Runs the study in its reduced mode (hidden 32, 40 epochs on qm9Sample) so the example never rots.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@nnphys/core';
import { beforeAll, expect, test } from 'vitest';
import { qm9Study } from '../src/study.mjs';

beforeAll(async () => {
  await initBackend('wasm');
});

test('reduced study: the GNN predicts the HOMO-LUMO gap of held-out QM9 molecules clearly better than the mean', async () => {
  const before = tf.memory().numTensors;
  const r = await qm9Study({ size: 'reduced', seed: 1 });
  expect(tf.memory().numTensors).toBe(before);
  expect(r.config.unit).toBe('eV');
  expect(r.config.molecules).toBeGreaterThan(300);
  expect(r.curve).toHaveLength(40);
  for (const c of r.curve) expect(Number.isFinite(c.valMae)).toBe(true);
  // Measured on wasm, seed 1: validation MAE 0.408 eV vs 1.269 eV for the training mean (75 molecules).
  // "Clearly better": at most 60% of the baseline's error (measured 32%).
  expect(r.valMae).toBeLessThan(0.6 * r.baselineMae);
});
