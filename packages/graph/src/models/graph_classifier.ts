import * as tf from '@tensorflow/tfjs-core';
import { MLP, Module, NnphysError, assertTensor, resolveRandom } from '@nnphys/core';
import type { GraphBatch } from '../graph.js';
import { GraphEncoder, type GraphEncoderOptions } from './graph_encoder.js';

export interface GraphClassifierOptions extends GraphEncoderOptions {
  /** Number of classes (>= 2). */
  classes: number;
  /** Hidden widths of the head MLP after the readout (default [hidden]). */
  headHidden?: number[];
}

/**
 * Graph classification: GraphEncoder and an MLP head giving class logits
 * [numGraphs, classes]. Labels are class indices 0..classes-1, by default
 * read from column 0 of `batch.targets`.
 */
export class GraphClassifier extends Module {
  readonly encoder: GraphEncoder;
  readonly head: MLP;
  readonly classes: number;

  constructor(options: GraphClassifierOptions) {
    super();
    if (!Number.isInteger(options?.classes) || options.classes < 2) throw new NnphysError(`GraphClassifier: classes must be an integer >= 2, got ${options?.classes}`);
    const rng = resolveRandom(options.seed);
    this.classes = options.classes;
    this.encoder = this.addModule('encoder', new GraphEncoder({ ...options, seed: rng }));
    this.head = this.addModule(
      'head',
      new MLP({ inputs: this.encoder.hidden, hidden: options.headHidden ?? [this.encoder.hidden], outputs: options.classes, activation: options.activation ?? 'relu', seed: rng }),
    );
  }

  /** Logits [numGraphs, classes]. */
  apply(batch: GraphBatch): tf.Tensor2D {
    return tf.tidy(() => this.head.apply(this.encoder.apply(batch)));
  }

  /** Class probabilities [numGraphs, classes]. */
  probabilities(batch: GraphBatch): tf.Tensor2D {
    return tf.tidy(() => tf.softmax(this.apply(batch)) as tf.Tensor2D);
  }

  /** Most likely class per graph, int32 [numGraphs]. */
  predict(batch: GraphBatch): tf.Tensor1D {
    return tf.tidy(() => tf.argMax(this.apply(batch), 1) as tf.Tensor1D);
  }

  /** Mean cross-entropy over the real graphs (padding graph masked out). */
  loss(batch: GraphBatch, options: { labels?: tf.Tensor1D } = {}): tf.Scalar {
    let labels = options.labels;
    if (labels === undefined && batch.targets === undefined) throw new NnphysError('GraphClassifier.loss: no labels (batch.targets is undefined and options.labels not given)');
    if (labels !== undefined) {
      assertTensor(labels, 'GraphClassifier.loss: labels', { rank: 1, dtype: ['int32', 'float32'] });
      if (labels.shape[0] !== batch.numGraphs) throw new NnphysError(`GraphClassifier.loss: labels must have ${batch.numGraphs} entries, got shape [${labels.shape.join(', ')}]`);
    }
    return tf.tidy(() => {
      labels ??= tf.squeeze(tf.slice(batch.targets as tf.Tensor2D, [0, 0], [-1, 1]), [1]) as tf.Tensor1D;
      const raw = labels.dataSync();
      const mask = batch.graphMask?.dataSync();
      for (let g = 0; g < raw.length; g++) {
        const v = raw[g] as number;
        const real = !mask || (mask[g] as number) > 0;
        if (real && !(Number.isInteger(v) && v >= 0 && v < this.classes)) {
          throw new NnphysError(`GraphClassifier.loss: the label of graph ${g} must be a class index in [0, ${this.classes - 1}], got ${v}`);
        }
      }
      const ids = tf.cast(labels, 'int32');
      const logp = tf.logSoftmax(this.apply(batch));
      const onehot = tf.oneHot(tf.clipByValue(ids, 0, this.classes - 1) as tf.Tensor1D, this.classes);
      const perGraph = tf.neg(tf.sum(tf.mul(logp, onehot), 1));
      if (!batch.graphMask) return tf.mean(perGraph) as tf.Scalar;
      return tf.div(tf.sum(tf.mul(perGraph, batch.graphMask)), tf.maximum(tf.sum(batch.graphMask), 1)) as tf.Scalar;
    });
  }
}
