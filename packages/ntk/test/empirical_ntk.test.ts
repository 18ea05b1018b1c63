import * as tf from '@tensorflow/tfjs-core';
import { Linear, MLP, Module, NnphysError, Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { abRelu, dense, elementwise, empiricalNTK, empiricalNTKMemory, erf, monteCarloKernel, relativeError, relu, serial, tanh } from '../src/index.js';
import { backends, maxAbs, maxAbsDiff, noLeak, randomMatrix } from './helpers.js';

// Float32 gradients with float64 accumulation across 4096-parameter chunks: the two methods were
// measured to agree to ~5e-7 relative; 1e-5 leaves room without hiding a missing term (a missing
// bias or layer changes the kernel by O(1e-2) or more).
const AGREE = 1e-5;

/** A set model f(X) = sum_nodes (X w) . 1 + b: linear in theta, so Theta(G, G') = (sum x)(sum x') + 1. */
class SumPool extends Module {
  readonly w: tf.Variable;
  readonly b: tf.Variable;
  constructor(d: number, rng: Random) {
    super();
    this.w = this.addVariable('w', tf.tensor2d(rng.fillNormal(new Float32Array(d)), [d, 1]));
    this.b = this.addVariable('b', tf.scalar(rng.normal()));
  }
  apply(nodes: tf.Tensor2D): tf.Tensor {
    return tf.tidy(() => tf.add(tf.sum(tf.matMul(nodes, this.w)), this.b));
  }
}

describe.each(backends)('%s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  const rng = new Random(5);
  const xs = randomMatrix(rng, 7, 3);
  const ys = randomMatrix(rng, 4, 3);

  test.each([
    ['relu with bias', serial(dense(48, { sigmaW: 1.4, sigmaB: 0.2 }), relu(), dense(32, { sigmaW: 1.4, sigmaB: 0.2 }), relu(), dense(1, { sigmaW: 1.2, sigmaB: 0.5 }))],
    ['erf without bias', serial(dense(40), erf(), dense(1))],
    ['tanh, leaky', serial(dense(30, { sigmaB: 0.1 }), tanh(), dense(20), abRelu(0.1, 1), dense(1))],
  ] as const)('layer-wise and per-sample Jacobian NTKs agree (%s)', (_name, arch) => {
    const net = arch.init(3, 11);
    const x1 = tf.tensor2d(xs);
    const x2 = tf.tensor2d(ys);
    noLeak(() => {
      const lw = empiricalNTK(net, x1, x2, { method: 'layerwise' });
      const jac = empiricalNTK(net, x1, x2, { method: 'jacobian' });
      expect(lw.length).toBe(7);
      expect(lw[0]!.length).toBe(4);
      expect(maxAbsDiff(lw, jac)).toBeLessThan(AGREE * maxAbs(jac));
      const lwSym = empiricalNTK(net, x1, null, { method: 'layerwise' });
      const jacSym = empiricalNTK(net, x1, undefined, { method: 'jacobian' });
      expect(maxAbsDiff(lwSym, jacSym)).toBeLessThan(AGREE * maxAbs(jacSym));
      for (const k of [lwSym, jacSym]) for (let i = 0; i < 7; i++) for (let j = 0; j < 7; j++) expect(k[i]![j]).toBe(k[j]![i]);
    });
    x1.dispose();
    x2.dispose();
    net.dispose();
  });

  test.each(['ntk', 'glorot'] as const)("core MLP (init '%s') takes the layer-wise path and agrees", (init) => {
    const mlp = new MLP({ inputs: 3, hidden: [24, 16], outputs: 1, init, sigmaW: 1.3, sigmaB: 0.3, activation: 'tanh', seed: 3 });
    const x1 = tf.tensor2d(xs);
    expect(empiricalNTKMemory(mlp, x1).method).toBe('layerwise');
    const lw = empiricalNTK(mlp, x1, null, { method: 'layerwise' });
    const jac = empiricalNTK(mlp, x1, null, { method: 'jacobian' });
    expect(maxAbsDiff(lw, jac)).toBeLessThan(AGREE * maxAbs(jac));
    mlp.dispose();
    x1.dispose();
  });

  test('single-block and multi-block assembly agree (both methods, square and rectangular)', () => {
    const net = serial(dense(32, { sigmaB: 0.1 }), relu(), dense(1)).init(3, 2);
    const x1 = tf.tensor2d(xs);
    const x2 = tf.tensor2d(ys);
    for (const method of ['layerwise', 'jacobian'] as const) {
      const mem = empiricalNTKMemory(net, x1, x2, { method, memoryBudget: 1 });
      expect(mem.blockRows).toBe(1);
      for (const second of [x2, null]) {
        const one = empiricalNTK(net, x1, second, { method });
        const many = noLeak(() => empiricalNTK(net, x1, second, { method, memoryBudget: 2.5 * mem.bytesPerRow }));
        expect(maxAbsDiff(one, many)).toBeLessThan(1e-6 * maxAbs(one));
      }
    }
    net.dispose();
    x1.dispose();
    x2.dispose();
  });

  test('a linear model has Theta = x.x\' + 1 exactly (standard parameterisation)', () => {
    const lin = new Linear({ inputs: 3, outputs: 1, seed: 4 });
    const x1 = tf.tensor2d(xs);
    const k = empiricalNTK(lin, x1, null, { method: 'jacobian' });
    const exact = xs.map((a) => xs.map((b) => a.reduce((s, v, i) => s + v * (b[i] as number), 0) + 1));
    expect(maxAbsDiff(k, exact)).toBeLessThan(1e-5 * maxAbs(exact));
    lin.dispose();
    x1.dispose();
  });

  test('non-tensor inputs (sets of different sizes) through an output function', () => {
    const model = new SumPool(3, new Random(8));
    const sets = [2, 5, 1, 3].map((n) => randomMatrix(rng, n, 3));
    const tensors = sets.map((s) => tf.tensor2d(s));
    const k = noLeak(() => empiricalNTK(model, tensors, null, { output: (g) => model.apply(g) }));
    const sums = sets.map((s) => [0, 1, 2].map((c) => s.reduce((acc, r) => acc + (r[c] as number), 0)));
    const exact = sums.map((a) => sums.map((b) => a.reduce((s, v, i) => s + v * (b[i] as number), 0) + 1));
    expect(maxAbsDiff(k, exact)).toBeLessThan(1e-5 * maxAbs(exact));
    // a plain variable list works too (adapter for models that are not core Modules)
    const k2 = empiricalNTK([model.w, model.b], tensors, tensors.slice(0, 2), { output: (g) => model.apply(g) });
    expect(maxAbsDiff(k2, exact.map((r) => r.slice(0, 2)))).toBeLessThan(1e-5 * maxAbs(exact));
    for (const t of tensors) t.dispose();
    model.dispose();
  });

  test('custom output selects one output of a multi-output model', () => {
    const mlp = new MLP({ inputs: 3, hidden: [8], outputs: 2, seed: 1 });
    const x1 = tf.tensor2d(xs);
    expect(() => empiricalNTK(mlp, x1)).toThrow(/single output/);
    expect(() => empiricalNTK(mlp, x1, null, { method: 'jacobian' })).toThrow(/single number/);
    const k0 = empiricalNTK(mlp, x1, null, { output: (x) => tf.slice(mlp.apply(x), [0, 0], [-1, 1]) });
    expect(empiricalNTKMemory(mlp, x1, null, { output: (x: tf.Tensor2D) => mlp.apply(x) }).method).toBe('jacobian');
    expect(k0[0]![0]).toBeGreaterThan(0);
    mlp.dispose();
    x1.dispose();
  });

  test('monteCarloKernel approaches the analytic kernels and handles activations without a closed form', () => {
    const arch = serial(dense(256, { sigmaW: 1.4, sigmaB: 0.2 }), relu(), dense(1, { sigmaW: 1.4, sigmaB: 0.2 }));
    const exact = arch.kernel(xs.slice(0, 4));
    const mc = noLeak(() => monteCarloKernel(arch, xs.slice(0, 4), undefined, { samples: 8, seed: 3 }));
    expect(mc.samples).toBe(8);
    // width 256, 8 samples: NTK fluctuations ~ 1/sqrt(256 * 8) ~ 2%; NNGP (N(x) N(x') products) ~ 1/sqrt(8) ~ 35%.
    expect(relativeError(mc.ntk, exact.ntk)).toBeLessThan(0.06);
    expect(relativeError(mc.nngp, exact.nngp)).toBeLessThan(0.7);
    // tanh has no closed form: Monte Carlo agrees with the Gauss-Hermite elementwise() kernel
    const tanhArch = serial(dense(256, { sigmaB: 0.1 }), tanh(), dense(1));
    const quad = serial(dense(256, { sigmaB: 0.1 }), elementwise({ name: 'tanh', apply: tf.tanh, fn: Math.tanh, derivative: (v) => 1 - Math.tanh(v) ** 2 }), dense(1)).kernel(xs.slice(0, 4));
    const mcTanh = monteCarloKernel(tanhArch, xs.slice(0, 4), undefined, { samples: 8, seed: 4 });
    expect(relativeError(mcTanh.ntk, quad.ntk)).toBeLessThan(0.06);
  });

  test('bad inputs give NnphysError naming the argument', () => {
    const net = serial(dense(4), relu(), dense(1)).init(3, 1);
    const x1 = tf.tensor2d(xs);
    const bad = tf.tensor2d([[1, 2]]);
    const int = tf.tensor2d([[1, 2, 3]], [1, 3], 'int32');
    expect(() => empiricalNTK(net, x1, bad)).toThrow(/x2 must have 3 columns/);
    expect(() => empiricalNTK(net, int)).toThrow(/x1 must have dtype float32/);
    expect(() => empiricalNTK(net, [] as tf.Tensor2D[])).toThrow(NnphysError);
    expect(() => empiricalNTK(null as never, x1)).toThrow(/model must be a Module/);
    expect(() => empiricalNTK(net, x1, null, { method: 'fast' as never })).toThrow(/method/);
    expect(() => empiricalNTK(net, x1, null, { memoryBudget: -1 })).toThrow(/memoryBudget/);
    const v = tf.variable(tf.scalar(1));
    expect(() => empiricalNTK(net, x1, null, { variables: [v] })).toThrow(/does not depend on any/);
    class Opaque extends Module {
      readonly w = this.addVariable('w', tf.ones([3, 1]));
      apply(x: tf.Tensor2D) {
        return tf.matMul(x, this.w);
      }
    }
    const opaque = new Opaque();
    expect(() => empiricalNTK(opaque, x1, null, { method: 'layerwise' })).toThrow(/layerwise' does not apply/);
    expect(empiricalNTK(opaque, x1)[0]![0]).toBeCloseTo(xs[0]!.reduce((s, a) => s + a * a, 0), 4);
    for (const t of [x1, bad, int, v]) t.dispose();
    opaque.dispose();
    net.dispose();
  });
});
