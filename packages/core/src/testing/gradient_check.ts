import * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '../errors.js';
import { type Random, resolveRandom } from '../random.js';

export interface GradientCheckOptions {
  /** Finite-difference step (default 1e-2: float32 forward passes need a large step). */
  epsilon?: number;
  /** Number of random directions when not checking coordinate by coordinate (default 6). */
  directions?: number;
  /** Check every coordinate when the inputs have at most this many entries in total (default 48). */
  maxCoordinates?: number;
  seed?: number | Random;
}

export interface GradientCheckResult {
  /** Largest |analytic - numeric| / max(|analytic|, |numeric|, scale) over the probes. */
  maxRelativeError: number;
  analytic: number[];
  numeric: number[];
}

/**
 * Compares the gradient of a scalar function with central finite differences,
 * either per coordinate (small inputs) or along random directions v, where
 * grad . v is compared with (f(x + eps v) - f(x - eps v)) / (2 eps).
 * `scale` (the typical gradient magnitude) keeps tiny gradients from
 * inflating the relative error.
 */
export function checkGradients(f: (...xs: tf.Tensor[]) => tf.Scalar, xs: tf.Tensor[], options: GradientCheckOptions = {}): GradientCheckResult {
  const eps = options.epsilon ?? 1e-2;
  const rng = resolveRandom(options.seed ?? 12345);
  if (!Array.isArray(xs) || xs.length === 0) throw new NnphysError('checkGradients: xs must be a non-empty array of tensors');
  return tf.tidy(() => {
    const grads = tf.grads(f)(xs);
    const gradValues = grads.map((g) => Float64Array.from(g.dataSync()));
    const base = xs.map((x) => Float64Array.from(x.dataSync()));
    const evalAt = (shifted: Float64Array[]): number =>
      tf.tidy(() => {
        const inputs = shifted.map((v, i) => tf.tensor(Float32Array.from(v), (xs[i] as tf.Tensor).shape, 'float32'));
        return (f(...inputs).dataSync()[0] as number);
      });
    const probes: Float64Array[][] = [];
    const total = base.reduce((n, b) => n + b.length, 0);
    if (total <= (options.maxCoordinates ?? 48)) {
      base.forEach((b, i) => {
        for (let j = 0; j < b.length; j++) {
          const dir = base.map((bb) => new Float64Array(bb.length));
          (dir[i] as Float64Array)[j] = 1;
          probes.push(dir);
        }
      });
    } else {
      for (let d = 0; d < (options.directions ?? 6); d++) probes.push(base.map((b) => Float64Array.from(b, () => rng.normal())));
    }
    const analytic: number[] = [];
    const numeric: number[] = [];
    for (const dir of probes) {
      let a = 0;
      dir.forEach((v, i) => {
        const g = gradValues[i] as Float64Array;
        for (let j = 0; j < v.length; j++) a += (g[j] as number) * (v[j] as number);
      });
      const plus = base.map((b, i) => b.map((x, j) => x + eps * ((dir[i] as Float64Array)[j] as number)));
      const minus = base.map((b, i) => b.map((x, j) => x - eps * ((dir[i] as Float64Array)[j] as number)));
      analytic.push(a);
      numeric.push((evalAt(plus) - evalAt(minus)) / (2 * eps));
    }
    const scale = Math.max(1e-3, ...analytic.map(Math.abs), ...numeric.map(Math.abs)) * 1e-2;
    let maxRelativeError = 0;
    for (let i = 0; i < analytic.length; i++) {
      const a = analytic[i] as number;
      const n = numeric[i] as number;
      const err = Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), scale);
      if (!(err <= maxRelativeError)) maxRelativeError = Number.isNaN(err) ? Number.POSITIVE_INFINITY : err;
    }
    return { maxRelativeError, analytic, numeric };
  });
}
