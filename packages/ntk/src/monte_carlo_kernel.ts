import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, type Random, assertMatrix, assertPositiveInteger, resolveRandom } from '@nnphys/core';
import { type EmpiricalNTKMethod, empiricalNTK } from './empirical_ntk.js';
import type { Architecture, KernelMatrices } from './serial.js';

export interface MonteCarloKernelOptions {
  /** Number of independent initialisations (default 16). */
  samples?: number;
  seed?: number | Random;
  method?: EmpiricalNTKMethod;
}

export interface MonteCarloKernel extends KernelMatrices {
  /** Standard errors of the two estimates (std over samples / sqrt(samples)). */
  standardError: KernelMatrices;
  samples: number;
}

/**
 * Monte-Carlo estimate of the infinite-width kernels from finite networks of
 * the architecture (neural-tangents' `monte_carlo_kernel_fn`): the mean over
 * initialisations of the empirical NTK, and of N(x) N(x') for the NNGP. Works
 * for activations without a closed form (tanh); converges to the analytic
 * kernels as the widths and the number of samples grow (001, "Infinite width
 * limit": the NTK becomes independent of initialisation).
 */
export function monteCarloKernel(architecture: Architecture, x1: number[][], x2?: number[][], options: MonteCarloKernelOptions = {}): MonteCarloKernel {
  const label = 'monteCarloKernel';
  if (architecture == null || typeof architecture.init !== 'function') throw new NnphysError(`${label}: architecture must come from serial(...)`);
  const [n1, d] = assertMatrix(x1, `${label}: x1`);
  if (n1 === 0 || d === 0) throw new NnphysError(`${label}: x1 must be a non-empty matrix, got ${n1} x ${d}`);
  const n2 = x2 === undefined ? n1 : assertMatrix(x2, `${label}: x2`, { cols: d })[0];
  const samples = options.samples ?? 16;
  assertPositiveInteger(samples, `${label}: samples`);
  const rng = resolveRandom(options.seed);
  const size = n1 * n2;
  const mean = [new Float64Array(size), new Float64Array(size)];
  const m2 = [new Float64Array(size), new Float64Array(size)];
  const t1 = tf.tensor2d(x1, [n1, d], 'float32');
  const t2 = x2 === undefined ? null : tf.tensor2d(x2, [n2, d], 'float32');
  try {
    for (let s = 0; s < samples; s++) {
      const net = architecture.init(d, rng.fork());
      try {
        if (net.outputDim !== 1) throw new NnphysError(`${label}: the architecture must have a single output, got ${net.outputDim}`);
        const ntk = empiricalNTK(net, t1, t2, { method: options.method });
        const f1 = tf.tidy(() => net.apply(t1).dataSync());
        const f2 = t2 ? tf.tidy(() => net.apply(t2).dataSync()) : f1;
        // Welford updates of mean and sum of squared deviations
        for (let i = 0; i < n1; i++) {
          for (let j = 0; j < n2; j++) {
            const p = i * n2 + j;
            const vals = [(f1[i] as number) * (f2[j] as number), (ntk[i] as number[])[j] as number];
            for (let c = 0; c < 2; c++) {
              const mu = mean[c] as Float64Array;
              const delta = (vals[c] as number) - (mu[p] as number);
              mu[p] = (mu[p] as number) + delta / (s + 1);
              (m2[c] as Float64Array)[p] = ((m2[c] as Float64Array)[p] as number) + delta * ((vals[c] as number) - (mu[p] as number));
            }
          }
        }
      } finally {
        net.dispose();
      }
    }
  } finally {
    t1.dispose();
    t2?.dispose();
  }
  const rows = (a: Float64Array, f: (v: number) => number = (v) => v) => Array.from({ length: n1 }, (_, i) => Array.from(a.subarray(i * n2, (i + 1) * n2), f));
  const se = (v: number) => (samples > 1 ? Math.sqrt(v / (samples - 1) / samples) : 0);
  return {
    nngp: rows(mean[0] as Float64Array),
    ntk: rows(mean[1] as Float64Array),
    standardError: { nngp: rows(m2[0] as Float64Array, se), ntk: rows(m2[1] as Float64Array, se) },
    samples,
  };
}
