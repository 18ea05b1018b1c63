import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { checkGradients, gelu, initBackend, setNativeEnabled, initWeights, Linear, MLP, Module, NnphysError, seed, silu } from '../src/index.js';

describe.each(['cpu', 'wasm'] as const)('modules on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('Linear computes x W + b and names its variables', () => {
    const lin = new Linear({ inputs: 3, outputs: 2, seed: 1 });
    expect([...lin.variables().keys()]).toEqual(['weight', 'bias']);
    expect(lin.parameterCount()).toBe(8);
    const x = tf.tensor2d([[1, 2, 3]]);
    const w = lin.weight.arraySync() as number[][];
    const y = lin.apply(x).arraySync() as number[][];
    for (let j = 0; j < 2; j++) expect(y[0]?.[j]).toBeCloseTo(1 * w[0]![j]! + 2 * w[1]![j]! + 3 * w[2]![j]!, 5);
    lin.dispose();
  });

  test('MLP nests names, counts parameters and is deterministic per seed on every backend', () => {
    const m = new MLP({ inputs: 4, hidden: [8, 8], outputs: 1, seed: 7 });
    expect([...m.variables().keys()]).toEqual(['layers.0.weight', 'layers.0.bias', 'layers.1.weight', 'layers.1.bias', 'layers.2.weight', 'layers.2.bias']);
    expect(m.parameterCount()).toBe(4 * 8 + 8 + 8 * 8 + 8 + 8 + 1);
    const again = new MLP({ inputs: 4, hidden: [8, 8], outputs: 1, seed: 7 });
    expect(Array.from(again.layers[1]!.weight.dataSync())).toEqual(Array.from(m.layers[1]!.weight.dataSync()));
    // layers draw different weights from one generator
    expect(Array.from(m.layers[0]!.weight.dataSync().slice(0, 8))).not.toEqual(Array.from(m.layers[1]!.weight.dataSync().slice(0, 8)));
    seed(3);
    const g1 = new MLP({ inputs: 2, hidden: [3], outputs: 1 });
    seed(3);
    const g2 = new MLP({ inputs: 2, hidden: [3], outputs: 1 });
    expect(Array.from(g1.layers[0]!.weight.dataSync())).toEqual(Array.from(g2.layers[0]!.weight.dataSync()));
    for (const x of [m, again, g1, g2]) x.dispose();
  });

  test('apply creates no variables and leaks no tensors', () => {
    const m = new MLP({ inputs: 4, hidden: [5], outputs: 2, activation: 'gelu', seed: 1 });
    const x = tf.ones([3, 4]) as tf.Tensor2D;
    const before = tf.memory().numTensors;
    const vars = m.variables().size;
    m.apply(x).dispose();
    tf.dispose(tf.tidy(() => tf.grads((x: tf.Tensor) => tf.sum(m.apply(x as tf.Tensor2D)))([x])));
    expect(tf.memory().numTensors).toBe(before);
    expect(m.variables().size).toBe(vars);
    m.dispose();
  });

  test('initialisers have the documented scale', () => {
    const n = 400;
    const std = (t: tf.Tensor) => Math.sqrt(tf.moments(t).variance.dataSync()[0] as number);
    expect(std(initWeights([n, n], 'he', 1))).toBeCloseTo(Math.sqrt(2 / n), 3);
    expect(std(initWeights([n, n], 'lecun', 2))).toBeCloseTo(Math.sqrt(1 / n), 3);
    expect(std(initWeights([n, n], 'ntk', 3))).toBeCloseTo(1, 2);
    // uniform(-l, l) has std l / sqrt(3)
    expect(std(initWeights([n, n], 'glorot', 4))).toBeCloseTo(Math.sqrt(6 / (2 * n)) / Math.sqrt(3), 3);
  });

  test('NTK parameterisation scales the forward pass by sigmaW / sqrt(fanIn)', () => {
    const lin = new Linear({ inputs: 16, outputs: 3, init: 'ntk', sigmaW: 2, sigmaB: 0.5, seed: 1 });
    const x = tf.randomNormal([5, 16], 0, 1, 'float32', 1) as tf.Tensor2D;
    const expected = tf.add(tf.mul(tf.matMul(x, lin.weight), 2 / 4), tf.mul(lin.bias!, 0.5));
    expect(Array.from(lin.apply(x).dataSync()).map((v, i) => v - (expected.dataSync()[i] as number)).every((d) => Math.abs(d) < 1e-5)).toBe(true);
  });

  test('constructing and disposing every kind of Linear leaks no tensors', () => {
    const before = tf.memory().numTensors;
    for (const init of ['glorot', 'he', 'ntk'] as const) {
      new Linear({ inputs: 4, outputs: 3, init, seed: 1 }).dispose();
      new Linear({ inputs: 4, outputs: 3, init, sigmaB: 0.5, seed: 1 }).dispose();
      new Linear({ inputs: 4, outputs: 3, init, bias: false, seed: 1 }).dispose();
    }
    expect(tf.memory().numTensors).toBe(before);
  });

  test('activations match their definitions and gradients', () => {
    const x = tf.tensor1d([-2, -0.5, 0.3, 1.7]);
    const xs = [-2, -0.5, 0.3, 1.7];
    const erf = (z: number) => {
      // Abramowitz-Stegun 7.1.26 is too coarse; use the series for |z| < 3
      let s = 0;
      let term = z;
      for (let n = 0; n < 60; n++) {
        s += term / (2 * n + 1);
        term *= (-z * z) / (n + 1);
      }
      return (2 / Math.sqrt(Math.PI)) * s;
    };
    for (const [i, v] of gelu(x).dataSync().entries()) expect(v).toBeCloseTo(0.5 * xs[i]! * (1 + erf(xs[i]! / Math.SQRT2)), 5);
    for (const [i, v] of silu(x).dataSync().entries()) expect(v).toBeCloseTo(xs[i]! / (1 + Math.exp(-xs[i]!)), 5);
    expect(checkGradients((x) => tf.sum(gelu(x)), [x]).maxRelativeError).toBeLessThan(1e-2);
  });

  test('gelu: the fused kernels (native, and their JS fallback) equal the float64 definition, forward and backward', () => {
    const erf = (z: number): number => {
      // series for |z| < 3.6 (x in [-5, 5]); float64 cancellation stays below 1e-10 there
      let s = 0;
      let term = z;
      for (let n = 0; n < 200; n++) {
        s += term / (2 * n + 1);
        term *= (-z * z) / (n + 1);
      }
      return (2 / Math.sqrt(Math.PI)) * s;
    };
    const values = Array.from({ length: 201 }, (_, i) => -5 + i * 0.05);
    const x = tf.tensor1d(values);
    const upstream = tf.tensor1d(values.map((_, i) => 1 + (i % 3)));
    const runs: Record<string, [Float32Array, Float32Array]> = {};
    for (const mode of ['native', 'js-kernel', 'composite'] as const) {
      setNativeEnabled(mode === 'native');
      const fwd = mode === 'js-kernel' ? (v: tf.Tensor) => tf.engine().runKernel('NnphysGelu', { x: v }) as tf.Tensor : gelu;
      const y = fwd(x);
      const g = tf.grad((v: tf.Tensor) => tf.sum(tf.mul(fwd(v), upstream)))(x);
      runs[mode] = [y.dataSync() as Float32Array, g.dataSync() as Float32Array];
      tf.dispose([y, g]);
    }
    setNativeEnabled(true);
    // A&S 7.1.26 has |erf error| <= 1.5e-7; in float32 the results stay within ~5e-7 of the definition.
    for (const [mode, [y, g]] of Object.entries(runs)) {
      values.forEach((v, i) => {
        const cdf = 0.5 * (1 + erf(v / Math.SQRT2));
        const pdf = Math.exp((-v * v) / 2) / Math.sqrt(2 * Math.PI);
        const w = 1 + (i % 3);
        expect(Math.abs((y[i] as number) - v * cdf), `${mode} gelu(${v})`).toBeLessThan(1e-6 * Math.max(1, Math.abs(v)));
        expect(Math.abs((g[i] as number) - w * (cdf + v * pdf)), `${mode} gelu'(${v})`).toBeLessThan(2e-6 * w);
      });
    }
    tf.dispose([x, upstream]);
  });

  test('bad options and inputs throw NnphysError naming the argument', () => {
    expect(() => new Linear({ inputs: 0, outputs: 2 })).toThrow(/Linear: inputs must be a positive integer, got 0/);
    expect(() => new Linear({ inputs: 2, outputs: 2, init: 'xavier' as never })).toThrow(/init must be one of/);
    expect(() => new MLP({ inputs: 2, hidden: [3, -1], outputs: 1 })).toThrow(/hidden\[1\]/);
    expect(() => new MLP({ inputs: 2, hidden: [3], outputs: 1, activation: 'swish' as never })).toThrow(NnphysError);
    const lin = new Linear({ inputs: 3, outputs: 2 });
    expect(() => lin.apply(tf.ones([2, 4]) as tf.Tensor2D)).toThrow(/feature dimension \(axis 1\) = 3, got a float32 tensor of shape \[2, 4\]/);
    expect(() => lin.apply(tf.ones([3]) as unknown as tf.Tensor2D)).toThrow(/rank 2/);
    lin.dispose();
  });

  test('custom modules compose and report duplicate names', () => {
    class Pair extends Module {
      readonly a = this.addModule('a', new Linear({ inputs: 2, outputs: 2, seed: 1 }));
      readonly scale = this.addVariable('scale', tf.scalar(2));
      apply(x: tf.Tensor2D) {
        return tf.mul(this.a.apply(x), this.scale);
      }
    }
    const p = new Pair();
    expect([...p.variables().keys()]).toEqual(['scale', 'a.weight', 'a.bias']);
    class Dup extends Module {
      constructor() {
        super();
        this.addVariable('w', tf.scalar(1));
        this.addVariable('w', tf.scalar(2));
      }
      apply() {
        return null;
      }
    }
    expect(() => new Dup()).toThrow(/already used/);
    p.dispose();
  });
});
