import * as tf from '@tensorflow/tfjs-core';
import { FusedAdam, Random, checkGradients, initBackend, nativeStatus, setNativeEnabled } from '@nnphys/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import type { NetworkAttrs } from '../src/kernels/network_kernels.js';
import { fusedNetworkApply } from '../src/networks/fused_network.js';
import {
  type ConstraintMode,
  type HiddenActivation,
  LipschitzNetwork,
  type LipschitzNetworkOptions,
  MonotonicNetwork,
  type NormKind,
  type Normalization,
  bceWithTemperature,
  effectiveBudget,
  lipschitzCertificate,
  monotonicityViolations,
} from '../src/index.js';
import { backends } from './helpers.js';

// Every numerical property on cpu and wasm, with @nnphys/native's SGEMM on (when built) and off (JS loops).
const cases = backends.flatMap((backend) => [
  { backend, native: true },
  { backend, native: false },
]);

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let d = 0;
  for (let i = 0; i < a.length; i++) d = Math.max(d, Math.abs((a[i] as number) - (b[i] as number)));
  return d;
}

function maxAbs(a: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] as number));
  return m;
}

/** Output and gradients (x, then every variable) of sum(f(x) * r). */
function valueAndGrads(model: { apply(x: tf.Tensor2D): tf.Tensor2D; trainableVariables(): tf.Variable[] }, x: tf.Tensor2D, r: tf.Tensor2D): Float32Array[] {
  return tf.tidy(() => {
    const y = model.apply(x);
    const gx = tf.grad((z: tf.Tensor) => tf.sum(tf.mul(model.apply(z as tf.Tensor2D), r)))(x);
    const { grads } = tf.variableGrads(() => tf.sum(tf.mul(model.apply(x), r)) as tf.Scalar, model.trainableVariables());
    return [y, gx, ...model.trainableVariables().map((v) => grads[v.name] as tf.Tensor)].map((t) => Float32Array.from(t.dataSync()));
  });
}

interface Variant {
  kind?: NormKind[];
  scheme?: 'chapter2' | 'chapter4';
  norm: 1 | 2 | 'inf';
  normalization: Normalization;
  mode: ConstraintMode;
  groupSize?: number;
  numGroups?: number;
  activation?: HiddenActivation;
  bias?: boolean;
}

const variants: Variant[] = [];
for (const normalization of ['vectorwise', 'matrix', 'matrix-scaled'] as const) {
  for (const mode of ['reparam', 'project'] as const) {
    if (mode === 'project' && normalization === 'matrix-scaled') continue; // not a projection: rejected by LipschitzLinear
    for (const norm of [1, 2, 'inf'] as const) variants.push({ norm, normalization, mode, groupSize: 2 });
    variants.push({ norm: 1, scheme: 'chapter2', normalization, mode, numGroups: 1 });
  }
}
variants.push({ norm: 2, normalization: 'vectorwise', mode: 'reparam', groupSize: 3 });
variants.push({ norm: 1, normalization: 'vectorwise', mode: 'reparam', activation: 'relu' });
variants.push({ norm: 'inf', normalization: 'matrix', mode: 'reparam', groupSize: 6, bias: false });

describe.each(cases)('fused network kernels on $backend (native $native)', ({ backend, native }) => {
  beforeAll(async () => {
    await initBackend(backend);
    setNativeEnabled(native);
  });
  afterAll(() => setNativeEnabled(true));

  test('the native switch does what the case says', () => {
    // native off: plain JS loops; native on: the addon when it is built (CI machines without a compiler run JS twice)
    const status = nativeStatus();
    expect(status.enabled).toBe(native && status.available);
  });

  test.each(variants)('fused == layer-wise (values, d/dx, d/dweights, d/dbiases): %o', (v) => {
    const rng = new Random(7);
    const options: LipschitzNetworkOptions = {
      inputs: 5,
      hidden: [12, 6],
      outputs: 2,
      lipschitz: 1.7,
      norm: v.norm,
      normalization: v.normalization,
      mode: v.mode,
      activation: v.activation,
      bias: v.bias,
      scheme: v.scheme,
      ...(v.groupSize !== undefined ? { groupSize: v.groupSize } : {}),
      ...(v.numGroups !== undefined ? { numGroups: v.numGroups } : {}),
      seed: 3,
    };
    const fused = new LipschitzNetwork({ ...options, fused: true });
    const layerwise = new LipschitzNetwork({ ...options, fused: false });
    expect(fused.usesFusedKernels()).toBe(true);
    expect(layerwise.usesFusedKernels()).toBe(false);
    // inflate the raw weights so that the normalisation is active on some slices and not on others
    tf.tidy(() => {
      for (const net of [fused, layerwise]) for (const [i, layer] of net.layers.entries()) layer.weight.assign(tf.mul(layer.weight, 1 + i));
      for (const net of [fused, layerwise]) for (const layer of net.layers) layer.bias?.assign(tf.fill(layer.bias.shape, 0.1, 'float32'));
    });
    const x = tf.tensor2d(Float32Array.from({ length: 9 * 5 }, () => rng.normal()), [9, 5]);
    const r = tf.tensor2d(Float32Array.from({ length: 9 * 2 }, () => rng.normal()), [9, 2]);
    const a = valueAndGrads(fused, x, r);
    const b = valueAndGrads(layerwise, x, r);
    expect(a.length).toBe(b.length);
    // float32 error: both sides round every product and sum (the fused path accumulates in float64 or
    // in SGEMM's float32 order), so differences are a few ulps of the largest magnitude involved
    for (let i = 0; i < a.length; i++) {
      const scale = Math.max(1, maxAbs(b[i] as Float32Array));
      expect(maxAbsDiff(a[i] as Float32Array, b[i] as Float32Array)).toBeLessThan(2e-5 * scale);
    }
    tf.dispose([x, r]);
    fused.dispose();
    layerwise.dispose();
  });

  test('MonotonicNetwork fused == layer-wise, and the BCE training step matches step by step', () => {
    const rng = new Random(8);
    const options = { inputs: 4, hidden: [10, 10], lipschitz: 2, monotone: [1, -1, 0, 0] as Array<1 | -1 | 0>, numGroups: 1, scheme: 'chapter2' as const, seed: 4 };
    const fused = new MonotonicNetwork({ ...options, fused: true });
    const layerwise = new MonotonicNetwork({ ...options, fused: false });
    const x = tf.tensor2d(Float32Array.from({ length: 32 * 4 }, () => rng.normal()), [32, 4]);
    const y = tf.tensor2d(Float32Array.from({ length: 32 }, () => (rng.uniform() < 0.5 ? 1 : 0)), [32, 1]);
    const r = tf.tensor2d(Float32Array.from({ length: 32 }, () => rng.normal()), [32, 1]);
    const a = valueAndGrads(fused, x, r);
    const b = valueAndGrads(layerwise, x, r);
    for (let i = 0; i < a.length; i++) expect(maxAbsDiff(a[i] as Float32Array, b[i] as Float32Array)).toBeLessThan(2e-5 * Math.max(1, maxAbs(b[i] as Float32Array)));
    // a few Adam steps on BCE: fused kernels + fused loss vs the layer-wise graph + the graph loss
    const lossF = bceWithTemperature({ temperature: 3 });
    const lossL = bceWithTemperature({ temperature: 3, fused: false });
    const optF = new FusedAdam({ learningRate: 0.01 });
    const optL = new FusedAdam({ learningRate: 0.01 });
    for (let s = 0; s < 5; s++) {
      const cf = optF.minimize(() => lossF(y, fused.logits(x)), true, fused.trainableVariables()) as tf.Scalar;
      const cl = optL.minimize(() => lossL(y, layerwise.logits(x)), true, layerwise.trainableVariables()) as tf.Scalar;
      expect(Math.abs((cf.dataSync()[0] as number) - (cl.dataSync()[0] as number))).toBeLessThan(1e-5);
      tf.dispose([cf, cl]);
    }
    // Adam normalises the step, so weights agree to ~lr * (relative gradient error): far below 1e-4 here
    const vf = fused.trainableVariables();
    const vl = layerwise.trainableVariables();
    for (let i = 0; i < vf.length; i++) expect(maxAbsDiff((vf[i] as tf.Variable).dataSync(), (vl[i] as tf.Variable).dataSync())).toBeLessThan(1e-4);
    tf.dispose([x, y, r]);
    optF.dispose();
    optL.dispose();
    fused.dispose();
    layerwise.dispose();
  });

  test('finite differences of the fused op w.r.t. x, raw weights and biases (every norm kind, reparam and project)', () => {
    const rng = new Random(9);
    const widths = [3, 6, 4, 2];
    const settings: Array<{ kinds: NormKind[]; normalization: Normalization; reparam: boolean; activation: 'groupsort' | 'relu'; groupSizes: number[]; residual: boolean }> = [
      { kinds: ['one', 'one', 'one'], normalization: 'vectorwise', reparam: true, activation: 'groupsort', groupSizes: [6, 4], residual: true },
      { kinds: ['two-inf', 'inf', 'inf'], normalization: 'vectorwise', reparam: true, activation: 'groupsort', groupSizes: [2, 2], residual: false },
      { kinds: ['one-inf', 'inf', 'inf'], normalization: 'matrix', reparam: true, activation: 'groupsort', groupSizes: [3, 4], residual: false },
      { kinds: ['inf', 'inf', 'inf'], normalization: 'matrix-scaled', reparam: true, activation: 'relu', groupSizes: [1, 1], residual: true },
      { kinds: ['one', 'one', 'one'], normalization: 'vectorwise', reparam: false, activation: 'groupsort', groupSizes: [2, 2], residual: false },
    ];
    for (const s of settings) {
      const budgets = s.kinds.map((k, l) => effectiveBudget(0.9, k, widths[l] as number, widths[l + 1] as number));
      const attrs: NetworkAttrs = { widths, kinds: s.kinds, normalizations: s.kinds.map(() => s.normalization), budgets, reparam: s.reparam, activation: s.activation, groupSizes: s.groupSizes, bias: true, residual: s.residual };
      const x = tf.tensor2d(Float32Array.from({ length: 3 * 3 }, () => rng.normal()), [3, 3]);
      // reparam: raw weights of size ~1, so the normalisation is active (norms above the budgets 0.9);
      // project mode: weights used as they are, of size ~0.3 as inside the ball (large raw weights would blow up
      // the activations until a GroupSort pair swaps order within the finite-difference step)
      const size = s.reparam ? 1 : 0.3;
      const ws = [0, 1, 2].map((l) => tf.tensor2d(Float32Array.from({ length: (widths[l] as number) * (widths[l + 1] as number) }, () => size * rng.normal()), [widths[l] as number, widths[l + 1] as number]));
      const bs = [0, 1, 2].map((l) => tf.tensor1d(Float32Array.from({ length: widths[l + 1] as number }, () => 0.3 * rng.normal())));
      const residual = tf.tensor2d([0.5, -1, 0, 0.25, 0, 2], [3, 2]);
      const r = tf.tensor2d(Float32Array.from({ length: 6 }, () => rng.normal()), [3, 2]);
      const f = (...xs: tf.Tensor[]) =>
        tf.sum(tf.mul(fusedNetworkApply(xs[0] as tf.Tensor2D, xs.slice(1, 4), xs.slice(4, 7), s.residual ? residual : null, attrs), r)) as tf.Scalar;
      // random normal data: gaps between sorted entries and between slice norms and budgets are >> eps = 1e-3
      // (no permutation or active set changes under the step); float32 evaluations with eps = 1e-3 give ~1e-4
      const res = checkGradients(f, [x, ...ws, ...bs], { epsilon: 1e-3, directions: 8, seed: 5 });
      expect(res.maxRelativeError).toBeLessThan(1e-2);
      // and one input set at a time: x alone, the weights alone, the biases alone (random directions, not
      // coordinates: a single coordinate moves the float32 output by a few ulps only, below the FD noise)
      for (const [lo, hi] of [
        [0, 1],
        [1, 4],
        [4, 7],
      ] as const) {
        const all = [x, ...ws, ...bs];
        const g = (...part: tf.Tensor[]) => f(...all.slice(0, lo), ...part, ...all.slice(hi));
        // float32 outputs of size ~1 quantise the central difference to ~ulp / eps ~ 4e-5; checkGradients' error
        // floor is 1% of the largest directional derivative (~0.3 here), so noise alone reaches ~1.2e-2
        expect(checkGradients(g, all.slice(lo, hi), { epsilon: 1e-3, directions: 4, maxCoordinates: 0, seed: 6 }).maxRelativeError).toBeLessThan(2e-2);
      }
      tf.dispose([x, ...ws, ...bs, residual, r]);
    }
  });

  test('fused BCE: value and gradient equal the graph loss; finite differences w.r.t. the logits', () => {
    const rng = new Random(10);
    const z = tf.tensor2d(Float32Array.from({ length: 40 }, () => 4 * rng.normal()), [40, 1]);
    const y = tf.tensor1d(Int32Array.from({ length: 40 }, () => (rng.uniform() < 0.5 ? 1 : 0)), 'int32');
    for (const temperature of [1, 7]) {
      const fused = bceWithTemperature({ temperature });
      const graph = bceWithTemperature({ temperature, fused: false });
      const [lf, gf] = tf.tidy(() => [fused(y, z).dataSync()[0] as number, Float32Array.from(tf.grad((t: tf.Tensor) => fused(y, t))(z).dataSync())] as const);
      const [lg, gg] = tf.tidy(() => [graph(y, z).dataSync()[0] as number, Float32Array.from(tf.grad((t: tf.Tensor) => graph(y, t))(z).dataSync())] as const);
      expect(Math.abs(lf - lg)).toBeLessThan(1e-5 * Math.max(1, Math.abs(lg)));
      expect(maxAbsDiff(gf, gg)).toBeLessThan(1e-6);
      // random directions (a single logit moves the float32 mean by a few ulps only); the loss is smooth: eps = 1e-2
      expect(checkGradients((t) => fused(y, t), [z], { epsilon: 1e-2, maxCoordinates: 0, seed: 2 }).maxRelativeError).toBeLessThan(1e-2);
    }
    tf.dispose([z, y]);
  });

  test('a training step runs a handful of kernels, leaks no tensors and is deterministic', () => {
    const run = (): { weights: Float32Array[]; kernels: number } => {
      const model = new MonotonicNetwork({ inputs: 4, hidden: [8, 8, 8], lipschitz: 2, monotone: [1, 1, 0, 0], numGroups: 1, scheme: 'chapter2', seed: 2 });
      const rng = new Random(11);
      const x = tf.tensor2d(Float32Array.from({ length: 64 * 4 }, () => rng.normal()), [64, 4]);
      const y = tf.tensor2d(Float32Array.from({ length: 64 }, () => (rng.uniform() < 0.5 ? 1 : 0)), [64, 1]);
      const loss = bceWithTemperature({ temperature: 1 });
      const opt = new FusedAdam({ learningRate: 1e-2 });
      const step = () => (opt.minimize(() => loss(y, model.logits(x)), true, model.trainableVariables()) as tf.Scalar).dispose();
      step();
      const before = tf.memory().numTensors;
      const engine = tf.engine();
      const original = engine.runKernel.bind(engine);
      let kernels = 0;
      engine.runKernel = ((...args: Parameters<typeof engine.runKernel>) => {
        kernels++;
        return original(...args);
      }) as typeof engine.runKernel;
      try {
        step();
      } finally {
        engine.runKernel = original;
      }
      for (let s = 0; s < 3; s++) step();
      expect(tf.memory().numTensors).toBe(before);
      const weights = model.trainableVariables().map((v) => Float32Array.from(v.dataSync()));
      tf.dispose([x, y]);
      opt.dispose();
      model.dispose();
      return { weights, kernels };
    };
    const before = tf.memory().numTensors;
    const a = run();
    const b = run();
    expect(tf.memory().numTensors).toBe(before);
    // forward, backward, loss, the loss gradient's multiply and two saved-tensor clones (118 layer-wise)
    expect(a.kernels).toBeLessThanOrEqual(6);
    for (let i = 0; i < a.weights.length; i++) expect(Array.from(a.weights[i] as Float32Array)).toEqual(Array.from(b.weights[i] as Float32Array));
  });

  test('no leaks outside gradients (inference path), and certificates / monotonicity searches on the fused path', () => {
    const net = new MonotonicNetwork({ inputs: 3, hidden: [8, 8], lipschitz: 1.5, monotone: [1, -1, 0], seed: 5 });
    tf.tidy(() => {
      for (const layer of net.g.layers) layer.weight.assign(tf.mul(layer.weight, 10));
    });
    const x = tf.tensor2d([0.1, 0.2, 0.3, -1, 0, 2], [2, 3]);
    const before = tf.memory().numTensors;
    const y = net.apply(x);
    expect(tf.memory().numTensors).toBe(before + 1);
    y.dispose();
    const cert = lipschitzCertificate(net);
    expect(cert.certifiedMonotone).toEqual([1, -1, 0]);
    const rep = monotonicityViolations(net, { samples: 32, adversarialSteps: 10, seed: 1 });
    expect(rep.violations).toHaveLength(0);
    expect(tf.memory().numTensors).toBe(before);
    x.dispose();
    net.dispose();
  });
});
