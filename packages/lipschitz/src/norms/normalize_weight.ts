import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, assertOneOf, assertPositiveNumber, assertTensor } from '@nnphys/core';
import { NormalizeGradKernel, NormalizeKernel, normalizeGradKernel, normalizeKernel } from '../kernels/normalize_kernels.js';
import { runPackageKernel } from '../kernels/registry.js';
import { type NormKind, type Normalization, effectiveBudget, normKinds, normalizations } from './kinds.js';

export interface NormalizeWeightOptions {
  kind: NormKind;
  /** The budget c of this layer (its share of lambda). */
  maxNorm: number;
  normalization?: Normalization;
}

/**
 * Norm(w) of Algorithm 1 (004 §2.2.2) for a tfjs kernel w of shape
 * [inputs, outputs]: the weight actually used in the matrix product. The
 * gradient flows through the normalisation (reparameterisation), computed by a
 * fused kernel, so a training step costs one op forward and one backward per
 * layer. The target radius carries a float32 safety margin (`effectiveBudget`).
 */
export function normalizeWeight(w: tf.Tensor2D, options: NormalizeWeightOptions): tf.Tensor2D {
  assertTensor(w, 'normalizeWeight: w', { rank: 2, dtype: 'float32' });
  return normalizeWeightUnchecked(w, checkNormalizeOptions(options, 'normalizeWeight'));
}

export interface ResolvedNormalizeOptions {
  kind: NormKind;
  maxNorm: number;
  normalization: Normalization;
}

export function checkNormalizeOptions(options: NormalizeWeightOptions, fn: string): ResolvedNormalizeOptions {
  if (options == null || typeof options !== 'object') throw new NnphysError(`${fn}: options must be an object with kind and maxNorm, got ${String(options)}`);
  assertOneOf(options.kind, `${fn}: kind`, normKinds);
  assertPositiveNumber(options.maxNorm, `${fn}: maxNorm`);
  const normalization = options.normalization ?? 'vectorwise';
  assertOneOf(normalization, `${fn}: normalization`, normalizations);
  return { kind: options.kind, maxNorm: options.maxNorm, normalization };
}

/** normalizeWeight without validation (callers validated at construction). */
export function normalizeWeightUnchecked(w: tf.Tensor2D, options: ResolvedNormalizeOptions): tf.Tensor2D {
  const [inputs, outputs] = w.shape;
  const attrs = { kind: options.kind, normalization: options.normalization, budget: effectiveBudget(options.maxNorm, options.kind, inputs, outputs) };
  const op = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    const value = runPackageKernel(NormalizeKernel, normalizeKernel, { w: x }, attrs) as tf.Tensor2D;
    return {
      value,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => runPackageKernel(NormalizeGradKernel, normalizeGradKernel, { w: saved[0] as tf.Tensor, dy }, attrs) as tf.Tensor,
    };
  }) as unknown as Parameters<typeof tf.customGrad<tf.Tensor2D>>[0]);
  return op(w) as tf.Tensor2D;
}
