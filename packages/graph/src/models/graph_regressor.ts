import * as tf from '@tensorflow/tfjs-core';
import { MLP, Module, NnphysError, assertNumberArray, assertOneOf, assertPositiveInteger, assertTensor, resolveRandom } from '@nnphys/core';
import type { GraphBatch } from '../graph.js';
import { GraphEncoder, type GraphEncoderOptions } from './graph_encoder.js';

export interface GraphRegressorOptions extends GraphEncoderOptions {
  /** Number of targets (default 1). */
  outputs?: number;
  /** Hidden widths of the head MLP after the readout (default [hidden]). */
  headHidden?: number[];
  /**
   * Target standardisation: the network predicts z and returns z * std + mean,
   * so it trains on unit-scale targets (default mean 0, std 1). Use the
   * training set's statistics.
   */
  targetMean?: number[];
  targetStd?: number[];
}

/**
 * Molecule (graph) property regression: GraphEncoder (node encoder, message
 * passing, readout) and an MLP head, batch -> [numGraphs, outputs] in the
 * targets' units. With edge features the default layer is MPNNConv
 * (edge-conditioned, 000 eq. 5.9), with a sum readout (eq. 5.10).
 */
export class GraphRegressor extends Module {
  readonly encoder: GraphEncoder;
  readonly head: MLP;
  readonly outputs: number;
  readonly targetMean: number[];
  readonly targetStd: number[];

  constructor(options: GraphRegressorOptions) {
    super();
    const outputs = options?.outputs ?? 1;
    assertPositiveInteger(outputs, 'GraphRegressor: outputs');
    const rng = resolveRandom(options.seed);
    this.outputs = outputs;
    this.encoder = this.addModule('encoder', new GraphEncoder({ ...options, seed: rng }));
    const headHidden = options.headHidden ?? [this.encoder.hidden];
    this.head = this.addModule('head', new MLP({ inputs: this.encoder.hidden, hidden: headHidden, outputs, activation: options.activation ?? 'relu', seed: rng }));
    this.targetMean = options.targetMean ?? new Array(outputs).fill(0);
    this.targetStd = options.targetStd ?? new Array(outputs).fill(1);
    assertNumberArray(this.targetMean, 'GraphRegressor: targetMean', outputs);
    assertNumberArray(this.targetStd, 'GraphRegressor: targetStd', outputs);
    for (const [i, s] of this.targetStd.entries()) if (!(s > 0)) throw new NnphysError(`GraphRegressor: targetStd[${i}] must be > 0, got ${s}`);
  }

  /** Standardised predictions z [numGraphs, outputs] (before de-standardisation). */
  private standardized(batch: GraphBatch): tf.Tensor2D {
    return this.head.apply(this.encoder.apply(batch));
  }

  /** Predictions in the targets' units, [numGraphs, outputs]. */
  apply(batch: GraphBatch): tf.Tensor2D {
    return tf.tidy(() => tf.add(tf.mul(this.standardized(batch), this.targetStd), this.targetMean) as tf.Tensor2D);
  }

  /**
   * Mean loss over the real graphs of `batch` (the padding graph is masked
   * out), on standardised targets ((y - mean) / std), so every target weighs
   * the same. Targets default to `batch.targets`.
   */
  loss(batch: GraphBatch, options: { targets?: tf.Tensor2D; kind?: 'mse' | 'mae' } = {}): tf.Scalar {
    const targets = options.targets ?? batch.targets;
    if (targets === undefined) throw new NnphysError('GraphRegressor.loss: no targets (batch.targets is undefined and options.targets not given)');
    assertTensor(targets, 'GraphRegressor.loss: targets', { rank: 2, dtype: 'float32' });
    if (targets.shape[0] !== batch.numGraphs || targets.shape[1] !== this.outputs) {
      throw new NnphysError(`GraphRegressor.loss: targets must have shape [${batch.numGraphs}, ${this.outputs}], got [${targets.shape.join(', ')}]`);
    }
    const kind = options.kind ?? 'mse';
    assertOneOf(kind, 'GraphRegressor.loss: kind', ['mse', 'mae']);
    return tf.tidy(() => {
      const z = tf.div(tf.sub(targets, this.targetMean), this.targetStd);
      const diff = tf.sub(this.standardized(batch), z);
      const perGraph = tf.mean(kind === 'mse' ? tf.square(diff) : tf.abs(diff), 1);
      if (!batch.graphMask) return tf.mean(perGraph) as tf.Scalar;
      return tf.div(tf.sum(tf.mul(perGraph, batch.graphMask)), tf.maximum(tf.sum(batch.graphMask), 1)) as tf.Scalar;
    });
  }
}
