import type * as tf from '@tensorflow/tfjs-core';
import type { Module, Random } from '@nnphys/core';
import type { KernelState } from './kernel_state.js';

/**
 * One layer rule in neural-tangents style: the finite layer (its parameters
 * in NTK parameterisation and its forward pass) and its infinite-width kernel
 * rule, defined together so they cannot drift apart. `serial` composes them.
 */
export interface Layer {
  /** Short name used in messages, e.g. "dense(512)" or "relu". */
  readonly name: string;
  /**
   * True when the layer maps each row of its input independently (every
   * built-in layer). The layer-wise empirical NTK needs this.
   */
  readonly rowwise: boolean;
  /** Output feature width of the finite layer for a given input width. */
  outputDim(inputDim: number): number;
  /** Parameters of the finite layer (NTK parameterisation), or null for parameter-free layers. */
  init(inputDim: number, rng: Random): Module | null;
  /** Forward pass of the finite layer; `params` is what `init` returned. */
  apply(x: tf.Tensor2D, params: Module | null): tf.Tensor2D;
  /** Infinite-width rule: maps the (NNGP, NTK) state of its input to that of its output. */
  kernel(state: KernelState): KernelState;
}
