import * as tf from '@tensorflow/tfjs-core';
import { type Initializer, Module, NnphysError, type Random, assertDim, assertOneOf, assertPositiveInteger, assertPositiveNumber, assertTensor } from '@nnphys/core';
import { type OutputActivation, type PlainNetwork, outputActivations } from '../export/plain_network.js';
import type { GroupSortMethod } from '../layers/group_sort.js';
import type { ConstraintMode, Normalization } from '../norms/kinds.js';
import type { ChainScheme } from './chain.js';
import { LipschitzNetwork } from './lipschitz_network.js';

export type MonotoneConstraint = 1 | -1 | 0;

export interface MonotonicNetworkOptions {
  inputs: number;
  hidden: number[];
  /** lambda: g is Lip^1 with constant lambda, and the residual has slope lambda. */
  lipschitz: number;
  /** Per input: 1 non-decreasing, -1 non-increasing, 0 free. Length = inputs. */
  monotone: MonotoneConstraint[];
  groupSize?: number;
  numGroups?: number;
  /** 'chapter4' (default: one-inf then inf) or 'chapter2' (||W||_1 everywhere, eq. 2.8, the LHCb model). */
  scheme?: ChainScheme;
  budgets?: number[];
  normalization?: Normalization;
  mode?: ConstraintMode;
  /** Monotone map applied after the residual (default 'identity'): 'sigmoid' for probabilities, 'relu' for non-negative outputs. */
  outputActivation?: OutputActivation;
  init?: Initializer;
  sortMethod?: GroupSortMethod;
  /** Fused forward/backward kernels on cpu and wasm (default true); see LipschitzNetworkOptions.fused. */
  fused?: boolean;
  seed?: number | Random;
}

/**
 * f(x) = out( g(x) + lambda sum_i c_i x_i ) with g a Lip^1 network of
 * constant lambda (004 eq. 2.3). Then d f / d x_i has the sign of c_i for
 * every constrained feature: d(g + residual)/dx_i is in [0, 2 lambda] for
 * c_i = 1 and in [-2 lambda, 0] for c_i = -1 (eq. 2.4); `out` is monotone.
 * Only a Lip^1 chain gives each feature its own budget (004 §2.2.1), so g is
 * always built with norm 1.
 */
export class MonotonicNetwork extends Module {
  readonly inputs: number;
  readonly lipschitz: number;
  readonly monotone: MonotoneConstraint[];
  readonly outputActivation: OutputActivation;
  readonly g: LipschitzNetwork;
  /** lambda c as an [inputs, 1] constant (not a variable: it is part of the architecture, not of the weights). */
  private readonly residual: tf.Tensor2D;

  constructor(options: MonotonicNetworkOptions) {
    super();
    const fn = 'MonotonicNetwork';
    if (options == null || typeof options !== 'object') throw new NnphysError(`${fn}: options must be an object, got ${String(options)}`);
    const { inputs, lipschitz, monotone } = options;
    assertPositiveInteger(inputs, `${fn}: inputs`);
    assertPositiveNumber(lipschitz, `${fn}: lipschitz`);
    if (!Array.isArray(monotone)) throw new NnphysError(`${fn}: monotone must be an array of 1 / -1 / 0 with one entry per input (${inputs}), got ${String(monotone)}`);
    if (monotone.length !== inputs) throw new NnphysError(`${fn}: monotone must have one entry per input (${inputs}), got length ${monotone.length}`);
    for (const [i, c] of monotone.entries()) {
      if (c !== 1 && c !== -1 && c !== 0) throw new NnphysError(`${fn}: monotone[${i}] must be 1 (increasing), -1 (decreasing) or 0 (free), got ${JSON.stringify(c)}`);
    }
    if ((options as { norm?: unknown }).norm !== undefined && (options as { norm?: unknown }).norm !== 1) {
      throw new NnphysError(`${fn}: the monotonic residual needs a Lip^1 network g (004 §2.2.1), got norm ${JSON.stringify((options as { norm?: unknown }).norm)}`);
    }
    this.outputActivation = options.outputActivation ?? 'identity';
    assertOneOf(this.outputActivation, `${fn}: outputActivation`, outputActivations);
    this.inputs = inputs;
    this.lipschitz = lipschitz;
    this.monotone = [...monotone];
    this.g = this.addModule(
      'g',
      new LipschitzNetwork({
        inputs,
        hidden: options.hidden,
        outputs: 1,
        lipschitz,
        norm: 1,
        groupSize: options.groupSize,
        numGroups: options.numGroups,
        scheme: options.scheme,
        budgets: options.budgets,
        normalization: options.normalization,
        mode: options.mode,
        init: options.init,
        sortMethod: options.sortMethod,
        fused: options.fused,
        seed: options.seed,
      }),
    );
    this.residual = tf.tensor2d(
      monotone.map((c) => lipschitz * c),
      [inputs, 1],
    );
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    assertTensor(x, 'MonotonicNetwork.apply: x', { rank: 2, dtype: 'float32' });
    assertDim(x, 1, this.inputs, 'MonotonicNetwork.apply: x', 'feature dimension (axis 1)');
    return tf.tidy(() => {
      // eq. 2.3: g(x) + lambda sum_i c_i x_i, then the monotone output map (MonotonicNetworks #9).
      const f = this.g.forward(x, this.residual);
      if (this.outputActivation === 'sigmoid') return tf.sigmoid(f);
      if (this.outputActivation === 'relu') return tf.relu(f);
      return f;
    });
  }

  /** The pre-activation output g(x) + lambda c.x (logits when outputActivation is 'sigmoid'). */
  logits(x: tf.Tensor2D): tf.Tensor2D {
    assertTensor(x, 'MonotonicNetwork.logits: x', { rank: 2, dtype: 'float32' });
    assertDim(x, 1, this.inputs, 'MonotonicNetwork.logits: x', 'feature dimension (axis 1)');
    return this.g.forward(x, this.residual);
  }

  /** Whether the fused kernels are used where they apply (see LipschitzNetworkOptions.fused). */
  get fused(): boolean {
    return this.g.fused;
  }

  project(): void {
    this.g.project();
  }

  toPlain(): PlainNetwork {
    const plain = this.g.toPlain();
    return { ...plain, residual: Float32Array.from(this.monotone, (c) => this.lipschitz * c), outputActivation: this.outputActivation };
  }

  override dispose(): void {
    this.residual.dispose();
    super.dispose();
  }
}
