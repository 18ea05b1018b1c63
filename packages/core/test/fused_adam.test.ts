import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { FusedAdam, MLP, NnphysError, Random, createOptimizer, initBackend, nativeStatus, setNativeEnabled } from '../src/index.js';

/** Trains two copies of one MLP for `steps` steps, one with each optimizer, and returns their final weights. */
function trainBoth(make: () => [tf.Optimizer, tf.Optimizer], steps: number): [Float32Array[], Float32Array[]] {
  const rng = new Random(3);
  const x = tf.tensor2d(rng.fillNormal(new Float32Array(32 * 5)), [32, 5]);
  const y = tf.tensor2d(rng.fillNormal(new Float32Array(32)), [32, 1]);
  const out: Float32Array[][] = [];
  for (const opt of make()) {
    const model = new MLP({ inputs: 5, hidden: [16, 16], outputs: 1, seed: 9 });
    for (let s = 0; s < steps; s++) opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x)) as tf.Scalar, false, model.trainableVariables());
    out.push(model.trainableVariables().map((v) => Float32Array.from(v.dataSync())));
    model.dispose();
    opt.dispose();
  }
  tf.dispose([x, y]);
  return [out[0] as Float32Array[], out[1] as Float32Array[]];
}

describe.each(['cpu', 'wasm'] as const)('FusedAdam on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('follows tf.train.adam step for step (float32 rounding apart)', () => {
    const [fused, stock] = trainBoth(() => [new FusedAdam({ learningRate: 0.01, beta1: 0.8, beta2: 0.99 }), tf.train.adam(0.01, 0.8, 0.99)], 50);
    let worst = 0;
    for (const [i, w] of fused.entries()) {
      const s = stock[i] as Float32Array;
      for (let j = 0; j < w.length; j++) worst = Math.max(worst, Math.abs((w[j] as number) - (s[j] as number)));
    }
    // 50 steps of size <= lr = 0.01 each: the two differ only by float32 rounding of the intermediate products
    // (tf rounds after every op, FusedAdam once per step); observed ~1e-6, far below one step (1e-2).
    expect(worst).toBeLessThan(2e-5);
    // and it did move the weights (guards against a no-op update)
    const [moved] = trainBoth(() => [new FusedAdam({ learningRate: 0.01 }), new FusedAdam({ learningRate: 0.01 })], 0);
    expect(Math.max(...fused.map((w, i) => Math.max(...w.map((x, j) => Math.abs(x - ((moved[i] as Float32Array)[j] as number))))))).toBeGreaterThan(0.05);
  });

  test.runIf(nativeStatus().available)('the native update equals the JS loop bitwise (same float64 arithmetic, same order)', () => {
    const rng = new Random(8);
    const grads = Array.from({ length: 5 }, () => rng.fillNormal(new Float32Array(40_000)));
    const run = (native: boolean): Float32Array => {
      setNativeEnabled(native);
      const w = tf.variable(tf.tensor1d(new Random(9).fillNormal(new Float32Array(40_000))), true, `adam_bitwise_${native}`);
      const opt = new FusedAdam({ learningRate: 0.01 });
      for (const g of grads) {
        const gt = tf.tensor1d(g);
        opt.applyGradients({ [w.name]: gt });
        gt.dispose();
      }
      const out = Float32Array.from(w.dataSync());
      w.dispose();
      opt.dispose();
      return out;
    };
    const fast = run(true);
    const plain = run(false);
    setNativeEnabled(true);
    expect(Buffer.from(fast.buffer).equals(Buffer.from(plain.buffer))).toBe(true);
  });

  test('leaks no tensors, and the default adam spec is fused on this backend', () => {
    const model = new MLP({ inputs: 3, hidden: [4], outputs: 1, seed: 1 });
    const x = tf.ones([2, 3]);
    const opt = createOptimizer({ name: 'adam', learningRate: 1e-2 });
    expect(opt).toBeInstanceOf(FusedAdam);
    opt.minimize(() => tf.sum(model.apply(x as tf.Tensor2D)) as tf.Scalar, false, model.trainableVariables());
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) opt.minimize(() => tf.sum(model.apply(x as tf.Tensor2D)) as tf.Scalar, false, model.trainableVariables());
    expect(tf.memory().numTensors).toBe(before);
    expect(createOptimizer({ name: 'adam', fused: false })).not.toBeInstanceOf(FusedAdam);
    tf.dispose([x]);
    model.dispose();
  });

  test('saves and restores its state: a restored optimizer continues exactly', async () => {
    const model = new MLP({ inputs: 3, hidden: [4], outputs: 1, seed: 1 });
    const x = tf.tensor2d([[1, 2, 3], [0, -1, 0.5]]);
    const loss = () => tf.sum(tf.square(model.apply(x))) as tf.Scalar;
    const a = new FusedAdam({ learningRate: 0.05 });
    for (let i = 0; i < 3; i++) a.minimize(loss, false, model.trainableVariables());
    const saved = await a.getWeights();
    const b = new FusedAdam({ learningRate: 0.05 });
    await b.setWeights(saved);
    const start = model.trainableVariables().map((v) => tf.clone(v));
    a.minimize(loss, false, model.trainableVariables());
    const afterA = model.trainableVariables().map((v) => Float32Array.from(v.dataSync()));
    model.trainableVariables().forEach((v, i) => {
      v.assign(start[i] as tf.Tensor);
    });
    b.minimize(loss, false, model.trainableVariables());
    const afterB = model.trainableVariables().map((v) => Float32Array.from(v.dataSync()));
    expect(afterB).toEqual(afterA);
    tf.dispose([x, ...start, ...saved.map((s) => s.tensor)]);
    model.dispose();
  });

  test('bad hyperparameters are named', () => {
    expect(() => new FusedAdam({ learningRate: 0 })).toThrow(NnphysError);
    expect(() => new FusedAdam({ beta1: 1 })).toThrow(/beta1 must be a finite number in \[0, 1\), got 1/);
    expect(() => new FusedAdam({ epsilon: Number.NaN })).toThrow(/epsilon/);
  });
});
