import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { type InputNorm, LipschitzNetwork, evaluatePlain, lipschitzCertificate, lipschitzLowerBound, lipschitzUpperBound } from '../src/index.js';
import { backends } from './helpers.js';

function pnorm(v: number[], p: InputNorm): number {
  if (p === 'inf') return Math.max(...v.map(Math.abs));
  if (p === 1) return v.reduce((s, x) => s + Math.abs(x), 0);
  return Math.sqrt(v.reduce((s, x) => s + x * x, 0));
}

/** Inflate the raw weights so that every layer's constraint is active (the interesting case for the bound). */
function inflate(net: LipschitzNetwork, factor: number): void {
  tf.tidy(() => {
    for (const layer of net.layers) layer.weight.assign(tf.mul(layer.weight, factor));
  });
}

describe.each(backends)('certificates on %s', (backend) => {
  beforeAll(() => initBackend(backend));

  test('random networks of every norm, depth, activation and normalisation: lower bound <= certificate <= lambda', () => {
    const rng = new Random(11);
    const rows: string[] = [];
    for (const norm of [1, 2, 'inf'] as InputNorm[]) {
      for (const hidden of [[], [8], [8, 8]]) {
        for (const activation of ['groupsort', 'relu'] as const) {
          for (const normalization of ['vectorwise', 'matrix'] as const) {
            const lambda = 0.5 + 2 * rng.uniform();
            const net = new LipschitzNetwork({ inputs: 3, hidden, outputs: 2, lipschitz: lambda, norm, activation, normalization, seed: rng });
            inflate(net, 20);
            const bound = lipschitzUpperBound(net);
            // Certificate never exceeds lambda (the stored weights obey the budgets exactly, with float32 headroom).
            expect(bound).toBeLessThanOrEqual(lambda);
            const lb = lipschitzLowerBound(net, { steps: 25, pairs: 32, radius: 2, seed: rng });
            // The searched slope can never exceed the certificate; float32 forward passes may add relative ~1e-6.
            expect(lb.lowerBound).toBeLessThanOrEqual(bound * (1 + 1e-5));
            if (lb.pairRatio64 !== null) expect(lb.pairRatio64).toBeLessThanOrEqual(bound * (1 + 1e-12));
            rows.push(`${norm}/${hidden.length}/${activation}/${normalization}: lb ${lb.lowerBound.toFixed(4)} <= cert ${bound.toFixed(4)} <= ${lambda.toFixed(4)}`);
            net.dispose();
          }
        }
      }
    }
    expect(rows).toHaveLength(36);
  });

  test('random pairs in float64 from the baked weights never exceed the certificate', () => {
    const rng = new Random(12);
    for (const norm of [1, 2, 'inf'] as InputNorm[]) {
      const net = new LipschitzNetwork({ inputs: 4, hidden: [6, 6], outputs: 1, lipschitz: 1, norm, groupSize: 3, seed: rng });
      inflate(net, 10);
      const plain = net.toPlain();
      const bound = lipschitzUpperBound(plain);
      for (let k = 0; k < 500; k++) {
        const x = Array.from({ length: 4 }, () => rng.normal());
        const y = x.map((v) => v + 0.1 * rng.normal());
        const [fx, fy] = evaluatePlain(plain, [x, y]);
        const ratio = Math.abs((fx?.[0] as number) - (fy?.[0] as number)) / pnorm(x.map((v, i) => v - (y[i] as number)), norm);
        expect(ratio).toBeLessThanOrEqual(bound);
      }
      net.dispose();
    }
  });

  test('a single inflated linear layer is tight: the certificate equals lambda and the search reaches it', () => {
    // f(x) = w.x with ||w||_{p*} = lambda: the constant is exactly lambda; the adversarial search must get within 1%.
    for (const norm of [1, 2, 'inf'] as InputNorm[]) {
      const net = new LipschitzNetwork({ inputs: 5, hidden: [], outputs: 1, lipschitz: 1.7, norm, seed: 3 });
      inflate(net, 50);
      const bound = lipschitzUpperBound(net);
      expect(bound).toBeGreaterThan(1.7 * (1 - 1e-5));
      expect(bound).toBeLessThanOrEqual(1.7);
      const lb = lipschitzLowerBound(net, { steps: 0, pairs: 8, seed: 1 });
      expect(lb.gradientNorm).toBeGreaterThan(1.7 * 0.99);
      net.dispose();
    }
  });

  test('the certificate evaluated in another norm is still valid (chains through l_1 / l_inf)', () => {
    const net = new LipschitzNetwork({ inputs: 3, hidden: [4], outputs: 1, lipschitz: 1, norm: 2, seed: 5 });
    inflate(net, 10);
    for (const p of [1, 2, 'inf'] as InputNorm[]) {
      const bound = lipschitzCertificate(net, p).bound;
      const lb = lipschitzLowerBound(net, { p, steps: 20, pairs: 16, seed: 2 });
      expect(lb.lowerBound).toBeLessThanOrEqual(bound * (1 + 1e-5));
    }
    net.dispose();
  });

  test('the searches do not leak tensors', () => {
    const net = new LipschitzNetwork({ inputs: 2, hidden: [4], outputs: 1, lipschitz: 1, norm: 2, seed: 5 });
    const before = tf.memory().numTensors;
    lipschitzLowerBound(net, { steps: 3, pairs: 4, seed: 1 });
    lipschitzUpperBound(net);
    expect(tf.memory().numTensors).toBe(before);
    net.dispose();
  });
});

describe('network errors', () => {
  beforeAll(() => initBackend('cpu'));
  test('lambda <= 0, bad norm, chain mismatch, budgets, widths', () => {
    const base = { inputs: 2, hidden: [4], outputs: 1, norm: 2 as InputNorm };
    expect(() => new LipschitzNetwork({ ...base, lipschitz: 0 })).toThrow(/lipschitz/);
    expect(() => new LipschitzNetwork({ ...base, lipschitz: -1 })).toThrow(NnphysError);
    expect(() => new LipschitzNetwork({ ...base, lipschitz: 1, norm: 3 as InputNorm })).toThrow(/norm/);
    expect(() => new LipschitzNetwork({ ...base, lipschitz: 1, kinds: ['one-inf', 'inf'] })).toThrow(/kinds\[0\]/);
    expect(() => new LipschitzNetwork({ ...base, lipschitz: 1, budgets: [2, 2] })).toThrow(/multiply/);
    expect(() => new LipschitzNetwork({ ...base, lipschitz: 1, scheme: 'chapter2' })).toThrow(/chapter2/);
    expect(() => new LipschitzNetwork({ ...base, hidden: [5], lipschitz: 1 })).toThrow(/not divisible by groupSize 2/);
    const net = new LipschitzNetwork({ ...base, lipschitz: 1 });
    const x = tf.zeros([3, 3]) as tf.Tensor2D;
    expect(() => net.apply(x)).toThrow(/feature dimension/);
    x.dispose();
    net.dispose();
  });
});
