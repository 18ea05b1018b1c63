import * as tf from '@tensorflow/tfjs-core';
import {
  type Initializer,
  Module,
  type Random,
  assertDim,
  assertOneOf,
  assertPositiveInteger,
  assertTensor,
  initWeights,
  initializers,
} from '@nnphys/core';
import { NnphysError } from '@nnphys/core';
import { type ConstraintMode, type NormKind, type Normalization, constraintModes, effectiveBudget } from '../norms/kinds.js';
import { type ResolvedNormalizeOptions, checkNormalizeOptions, normalizeWeightUnchecked } from '../norms/normalize_weight.js';
import { kindNorm } from '../norms/operator_norms.js';

export interface LipschitzLinearOptions {
  inputs: number;
  outputs: number;
  /** Which operator norm is bounded (see NormKind). */
  kind: NormKind;
  /** The layer's budget c: ||W||_kind <= c. */
  maxNorm: number;
  /** 'vectorwise' (default, eq. 2.8 generalised), 'matrix' (eq. 2.7 b) or 'matrix-scaled' (eq. 2.7 a). */
  normalization?: Normalization;
  /** 'reparam' (default, Algorithm 1: gradients flow through Norm) or 'project' (projection after each step). */
  mode?: ConstraintMode;
  bias?: boolean;
  /** Initialiser of the raw weights (default 'glorot'). */
  init?: Initializer;
  seed?: number | Random;
}

/**
 * A dense layer y = x Norm(w) + b whose weight obeys ||W||_kind <= maxNorm
 * (004 §2.2.2). The raw variable `weight` ([inputs, outputs], tfjs layout)
 * is what the optimiser updates; the constrained weight is what multiplies.
 * - reparam: Norm is applied in every forward pass and differentiated through (Algorithm 1);
 * - project: the forward pass uses `weight` as is and `project()` (call it after every
 *   optimiser step, e.g. train's afterStep) maps it back into the ball (Gouk et al., Algorithm 2).
 */
export class LipschitzLinear extends Module {
  readonly inputs: number;
  readonly outputs: number;
  readonly kind: NormKind;
  readonly maxNorm: number;
  readonly normalization: Normalization;
  readonly mode: ConstraintMode;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;
  private readonly norm: ResolvedNormalizeOptions;

  constructor(options: LipschitzLinearOptions) {
    super();
    if (options == null || typeof options !== 'object') throw new NnphysError(`LipschitzLinear: options must be an object, got ${String(options)}`);
    const { inputs, outputs, bias = true, init = 'glorot', seed } = options;
    assertPositiveInteger(inputs, 'LipschitzLinear: inputs');
    assertPositiveInteger(outputs, 'LipschitzLinear: outputs');
    this.norm = checkNormalizeOptions(options, 'LipschitzLinear');
    this.mode = options.mode ?? 'reparam';
    assertOneOf(this.mode, 'LipschitzLinear: mode', constraintModes);
    assertOneOf(init, 'LipschitzLinear: init', initializers);
    if (this.mode === 'project' && this.norm.normalization === 'matrix-scaled') {
      throw new NnphysError(
        "LipschitzLinear: normalization 'matrix-scaled' (eq. 2.7 a) is not a projection (it rescales matrices inside the ball), so it cannot be used with mode 'project'; use 'vectorwise' or 'matrix'",
      );
    }
    this.inputs = inputs;
    this.outputs = outputs;
    this.kind = this.norm.kind;
    this.maxNorm = this.norm.maxNorm;
    this.normalization = this.norm.normalization;
    this.weight = this.addVariable('weight', initWeights([inputs, outputs], init, seed));
    this.bias = bias ? this.addVariable('bias', tf.zeros([outputs])) : null;
    if (this.mode === 'project') this.project();
  }

  /** The radius the normalisation actually targets (maxNorm minus a float32 safety margin). */
  get effectiveMaxNorm(): number {
    return effectiveBudget(this.maxNorm, this.kind, this.inputs, this.outputs);
  }

  /** The weight used in the product, [inputs, outputs]. Differentiable in reparam mode. */
  constrainedWeight(): tf.Tensor2D {
    return this.mode === 'reparam' ? normalizeWeightUnchecked(this.weight as tf.Tensor2D, this.norm) : (tf.clone(this.weight) as tf.Tensor2D);
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    assertTensor(x, 'LipschitzLinear.apply: x', { rank: 2, dtype: 'float32' });
    assertDim(x, 1, this.inputs, 'LipschitzLinear.apply: x', 'feature dimension (axis 1)');
    return this.applyUnchecked(x);
  }

  /** apply without input validation (for networks that validated once). */
  applyUnchecked(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const w = this.mode === 'reparam' ? normalizeWeightUnchecked(this.weight as tf.Tensor2D, this.norm) : this.weight;
      const y = tf.matMul(x, w) as tf.Tensor2D;
      return this.bias ? (tf.add(y, this.bias) as tf.Tensor2D) : y;
    });
  }

  /**
   * Project mode: maps the raw weight back into the ball (no gradient). Call
   * after every optimiser step. In reparam mode the raw weight is left alone
   * (the forward pass normalises it) and this does nothing.
   */
  project(): void {
    if (this.mode !== 'project') return;
    tf.tidy(() => {
      this.weight.assign(normalizeWeightUnchecked(this.weight as tf.Tensor2D, this.norm));
    });
  }

  /** ||W||_kind of the weight actually used, in float64 from the stored float32 values. */
  constrainedNorm(): number {
    const w = this.constrainedWeight();
    try {
      return kindNorm(w.dataSync() as Float32Array, this.inputs, this.outputs, this.kind);
    } finally {
      w.dispose();
    }
  }
}
