import * as tf from '@tensorflow/tfjs-core';
import { Random, checkGradients, initBackend, nativeStatus, setNativeEnabled } from '@nnphys/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { applyRotary, rotaryTables } from '../src/layers/rotary.js';
import { backends } from './helpers.js';

// With @nnphys/native the rotation is one kernel each way; it must equal the composed tfjs ops (split, negate,
// concatenate, multiply, add) in value and gradient. Without a C compiler the addon is not built and this block
// does not run (listed as skipped); CI requires the addon.
describe.runIf(nativeStatus().available).each(backends)('fused rotary embedding on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  afterAll(() => setNativeEnabled(true));

  test('value and gradient equal the composed ops; finite differences agree; no leaks', () => {
    const [b, h, t, d] = [2, 3, 5, 8];
    const rng = new Random(4);
    const positions = Array.from({ length: b * t }, (_, i) => (i % t) + (i >= t ? 2 : 0));
    const before = tf.memory().numTensors;
    const { cos, sin } = rotaryTables(positions, b, t, d, 100);
    const x = tf.tensor4d(rng.fillNormal(new Float32Array(b * h * t * d)), [b, h, t, d]);
    const w = tf.tensor4d(rng.fillNormal(new Float32Array(b * h * t * d)), [b, h, t, d]);
    const run = (fused: boolean) => {
      setNativeEnabled(fused);
      const y = applyRotary(x, cos, sin);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(applyRotary(v as tf.Tensor4D, cos, sin), w)))(x);
      const out = [Array.from(y.dataSync()), Array.from(g.dataSync())];
      tf.dispose([y, g]);
      return out;
    };
    const [fy, fg] = run(true);
    const [py, pg] = run(false);
    setNativeEnabled(true);
    // two float32 products and a sum per element, in the same order: equal to rounding
    for (const [i, v] of (fy as number[]).entries()) expect(Math.abs(v - (py as number[])[i]!)).toBeLessThan(1e-6);
    for (const [i, v] of (fg as number[]).entries()) expect(Math.abs(v - (pg as number[])[i]!)).toBeLessThan(1e-5);
    const check = checkGradients((v) => tf.sum(tf.mul(applyRotary(v as tf.Tensor4D, cos, sin), w)) as tf.Scalar, [x]);
    expect(check.maxRelativeError).toBeLessThan(1e-2);
    tf.dispose([x, w, cos, sin]);
    expect(tf.memory().numTensors).toBe(before);
  });
});
