import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, assertOneOf, assertTensor } from '@nnphys/core';
import { customScalar } from './custom_scalar.js';
import { type DistanceCorrelationTerms, distanceCorrelationSorted } from './distance_correlation_sorted.js';
import type { ModeLossFn } from './mode_loss.js';

/**
 * 'sorted': exact O(n log n) evaluation in float64 with an analytic gradient
 * (tf.customGrad); weights are treated as constants. 'pairwise': the O(n²)
 * double-centred matrices in tfjs ops, differentiated by autodiff (also in the
 * weights); needs n² floats per matrix, so it is limited to `maxPairwise` events.
 */
export type DistanceCorrelationMethod = 'sorted' | 'pairwise';

export interface DistanceCorrelationOptions {
  /** Default 'sorted'. */
  method?: DistanceCorrelationMethod;
}

/** Largest n the 'pairwise' method accepts (several n×n float32 matrices: ~0.7 GB at 8192). */
export const MAX_PAIRWISE_EVENTS = 8192;

function checkWeights(w: Float32Array | Int32Array | Uint8Array, n: number): void {
  let total = 0;
  for (let i = 0; i < n; i++) {
    const v = w[i]!;
    if (!(Number.isFinite(v) && v >= 0)) throw new NnphysError(`weights[${i}] must be a finite number >= 0, got ${v}`);
    total += v;
  }
  if (!(total > 0)) throw new NnphysError(`weights must have a positive sum, got ${total}`);
}

function checkFinite(d: ArrayLike<number>, name: string): void {
  for (let i = 0; i < d.length; i++) if (!Number.isFinite(d[i]!)) throw new NnphysError(`${name}[${i}] must be a finite number, got ${d[i]}`);
}

function isConstant(d: ArrayLike<number>, w?: ArrayLike<number>): boolean {
  let lo = Number.POSITIVE_INFINITY;
  let hi = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < d.length; i++) {
    if (w !== undefined && w[i] === 0) continue;
    lo = Math.min(lo, d[i]!);
    hi = Math.max(hi, d[i]!);
  }
  return !(hi > lo);
}

function pairwise(x: tf.Tensor1D, y: tf.Tensor1D, weights: tf.Tensor1D | undefined): tf.Scalar {
  return tf.tidy(() => {
    const n = x.shape[0];
    const p = weights === undefined ? tf.fill([n], 1 / n) : tf.div(weights, tf.sum(weights));
    const pCol = tf.reshape(p, [n, 1]);
    // pᵀ (U ∘ V) p as two matrix-vector products: shorter float32 accumulations than one sum over n² terms.
    const quad = (U: tf.Tensor, V: tf.Tensor) => tf.sum(tf.mul(tf.matMul(tf.mul(U, V), pCol), pCol));
    const centred = (u: tf.Tensor1D) => {
      const a = tf.abs(tf.sub(tf.reshape(u, [n, 1]), tf.reshape(u, [1, n])));
      const rowMean = tf.matMul(a, pCol); // [n, 1], ā_i = Σ_j p_j a_ij
      const grand = tf.sum(tf.mul(rowMean, pCol));
      return tf.add(tf.sub(tf.sub(a, rowMean), tf.reshape(rowMean, [1, n])), grand);
    };
    const A = centred(x);
    const B = centred(y);
    const vxy = quad(A, B);
    const vxx = quad(A, A);
    const vyy = quad(B, B);
    return tf.div(vxy, tf.sqrt(tf.mul(vxx, vyy))) as tf.Scalar;
  });
}

/**
 * Squared distance correlation dCor²(x, y) of two 1-D samples, optionally
 * weighted (the DisCo regulariser, 004 §3.2.1; Székely & Rizzo; Kasieczka &
 * Shih): 0 for independent samples (as n -> ∞), 1 for exact linear relations,
 * invariant under shifting and rescaling either variable. Differentiable in x
 * and y. Returns 0 (with zero gradient) when x or y is constant, like dcor.
 */
export function distanceCorrelation(x: tf.Tensor1D, y: tf.Tensor1D, weights?: tf.Tensor1D, options: DistanceCorrelationOptions = {}): tf.Scalar {
  assertTensor(x, 'x', { rank: 1, dtype: 'float32' });
  assertTensor(y, 'y', { rank: 1, dtype: 'float32' });
  const n = x.shape[0];
  if (y.shape[0] !== n) throw new NnphysError(`y must have the same length as x (${n}), got a tensor of shape [${y.shape.join(', ')}]`);
  if (n < 2) throw new NnphysError(`x must have at least 2 entries for a distance correlation, got ${n}`);
  const method = options.method ?? 'sorted';
  assertOneOf(method, 'method', ['sorted', 'pairwise'] as const);
  const xd = x.dataSync() as Float32Array;
  const yd = y.dataSync() as Float32Array;
  checkFinite(xd, 'x');
  checkFinite(yd, 'y');
  let wd: Float32Array | undefined;
  if (weights !== undefined) {
    assertTensor(weights, 'weights', { rank: 1, dtype: 'float32' });
    if (weights.shape[0] !== n) throw new NnphysError(`weights must have the same length as x (${n}), got a tensor of shape [${weights.shape.join(', ')}]`);
    wd = weights.dataSync() as Float32Array;
    checkWeights(wd, n);
  }
  if (method === 'pairwise') {
    if (n > MAX_PAIRWISE_EVENTS) throw new NnphysError(`method 'pairwise' needs n² memory and accepts at most ${MAX_PAIRWISE_EVENTS} events, got ${n}; use method 'sorted'`);
    if (isConstant(xd, wd) || isConstant(yd, wd)) return tf.tidy(() => tf.mul(tf.add(tf.sum(x), tf.sum(y)), 0) as tf.Scalar);
    return pairwise(x, y, weights);
  }
  const terms: DistanceCorrelationTerms = distanceCorrelationSorted(xd, yd, wd);
  return customScalar([x, y], terms.value, () => [terms.gradX, terms.gradY]);
}

/**
 * dCor² and its gradient on plain arrays, exact, in float64 and O(n log n):
 * for large evaluation samples (the O(n²) form needs gigabytes at 65k events).
 */
export function evaluateDistanceCorrelation(x: ArrayLike<number>, y: ArrayLike<number>, weights?: ArrayLike<number>): DistanceCorrelationTerms {
  const n = x.length;
  if (y.length !== n) throw new NnphysError(`y must have the same length as x (${n}), got length ${y.length}`);
  if (n < 2) throw new NnphysError(`x must have at least 2 entries for a distance correlation, got ${n}`);
  checkFinite(x, 'x');
  checkFinite(y, 'y');
  if (weights !== undefined) {
    if (weights.length !== n) throw new NnphysError(`weights must have the same length as x (${n}), got length ${weights.length}`);
    checkWeights(Float32Array.from(weights), n);
  }
  return distanceCorrelationSorted(Float64Array.from(x), Float64Array.from(y), weights);
}

export interface DiscoLossOptions extends DistanceCorrelationOptions {
  /** Decorrelate the background (label 0) only (default true, as DisCo). */
  backgroundOnly?: boolean;
}

/**
 * DisCo as a loss with the same call shape as modeLoss: (scores, mass, labels, weights?) -> dCor²(scores, mass)
 * over the background (signal events get weight 0). Add λ · discoLoss to the classification loss.
 */
export function discoLoss(options: DiscoLossOptions = {}): ModeLossFn {
  const backgroundOnly = options.backgroundOnly ?? true;
  if (typeof backgroundOnly !== 'boolean') throw new NnphysError(`backgroundOnly must be a boolean, got ${String(backgroundOnly)}`);
  return (scores, mass, labels, weights) => {
    assertTensor(scores, 'scores', { rank: 1, dtype: 'float32' });
    assertTensor(mass, 'mass', { rank: 1, dtype: ['float32', 'int32'] });
    assertTensor(labels, 'labels', { rank: 1, dtype: ['float32', 'int32', 'bool'] });
    const n = scores.shape[0];
    if (mass.shape[0] !== n) throw new NnphysError(`mass must have the same length as scores (${n}), got a tensor of shape [${mass.shape.join(', ')}]`);
    if (labels.shape[0] !== n) throw new NnphysError(`labels must have the same length as scores (${n}), got a tensor of shape [${labels.shape.join(', ')}]`);
    const ld = labels.dataSync();
    for (let i = 0; i < n; i++) if (ld[i] !== 0 && ld[i] !== 1) throw new NnphysError(`labels[${i}] must be 0 (background) or 1 (signal), got ${ld[i]}`);
    if (weights !== undefined) {
      assertTensor(weights, 'weights', { rank: 1, dtype: 'float32' });
      if (weights.shape[0] !== n) throw new NnphysError(`weights must have the same length as scores (${n}), got a tensor of shape [${weights.shape.join(', ')}]`);
    }
    // Signal events get weight 0, which removes them from every sum of the weighted dCor².
    const owned = backgroundOnly || weights === undefined;
    const keep: tf.Tensor1D = owned
      ? tf.tidy(() => {
          const base = weights ?? tf.ones([n]);
          return (backgroundOnly ? tf.mul(base, tf.sub(1, tf.cast(labels, 'float32'))) : base) as tf.Tensor1D;
        })
      : (weights as tf.Tensor1D);
    const hasBackground = (keep.dataSync() as Float32Array).some((v) => v > 0);
    if (!hasBackground) {
      if (owned) keep.dispose();
      throw new NnphysError(`DisCo: the batch has no ${backgroundOnly ? 'background events (label 0) with weight > 0' : 'events with weight > 0'}, got ${n} events`);
    }
    const m = mass.dtype === 'float32' ? mass : tf.cast(mass, 'float32');
    try {
      return distanceCorrelation(scores, m as tf.Tensor1D, keep, options);
    } finally {
      if (owned) keep.dispose();
      if (m !== mass) m.dispose();
    }
  };
}
