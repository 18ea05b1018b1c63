import * as tf from '@tensorflow/tfjs-core';
import {
  LayerList,
  Linear,
  MLP,
  Module,
  NnphysError,
  type Random,
  assertInRange,
  assertOneOf,
  assertPositiveInteger,
  assertTensor,
  resolveRandom,
} from '@nnphys/core';

/** The subnetworks of 002 §4.5 (all ReLU, including the last layer). */
export type SubnetworkVariant = 'type1' | 'type2' | 'type3';

export const subnetworkVariants: Readonly<Record<SubnetworkVariant, { widths: number[]; l2: number; dropout: number }>> = {
  // "3 hidden layers" in 002, although the code shows four Dense layers.
  type1: { widths: [128, 256, 128, 64], l2: 0, dropout: 0 },
  type2: { widths: [128, 256, 128, 64], l2: 0.001, dropout: 0 },
  // Not just "Type 2 + dropout": 002's code doubles the widths too.
  type3: { widths: [256, 512, 256, 128], l2: 0.001, dropout: 0.1 },
};

export interface AtomSumNetworkOptions {
  /** Features per atom (7 for the binary code, 128 for one-hot). */
  inputs: number;
  /** Atoms per sample K. */
  setSize: number;
  /**
   * true: one subnetwork f_s for every position, ŷ = Σ_k f_s(x_k) (002 §4.3, §5.5; Deep Sets with a linear ρ).
   * false: one subnetwork per position, ŷ = Σ_k f_k(x_k) (002 §5.3, the source of the positional-bias outliers).
   */
  shared: boolean;
  /** A 002 §4.5 variant (default 'type1'); `widths`, `l2`, `dropout` override its settings. */
  variant?: SubnetworkVariant;
  widths?: number[];
  /** L2 factor on every subnetwork kernel (Keras l2: factor * Σ W²), returned by `l2Penalty`. */
  l2?: number;
  /** Dropout rate after every subnetwork layer in training mode. */
  dropout?: number;
  seed?: number | Random;
}

/**
 * The aggregate-label ("atom-sum") models of 002: per-atom subnetworks whose
 * embeddings are summed over the K positions and mapped to the label by one
 * Dense(1) head (002 does not show the head; a linear head commutes with the
 * sum, so this equals a per-atom value summed).
 * The recovered value of atom a is `atomValues`: w·f(a) + b/K.
 */
export class AtomSumNetwork extends Module {
  readonly inputs: number;
  readonly setSize: number;
  readonly shared: boolean;
  readonly widths: number[];
  readonly l2: number;
  readonly dropout: number;
  readonly subnetworks: MLP[];
  readonly head: Linear;

  constructor(options: AtomSumNetworkOptions) {
    super();
    assertPositiveInteger(options?.inputs, 'AtomSumNetwork: inputs');
    assertPositiveInteger(options.setSize, 'AtomSumNetwork: setSize');
    if (typeof options.shared !== 'boolean') throw new NnphysError(`AtomSumNetwork: shared must be true (one subnetwork) or false (one per position), got ${String(options.shared)}`);
    const variant = options.variant ?? 'type1';
    assertOneOf(variant, 'AtomSumNetwork: variant', ['type1', 'type2', 'type3']);
    const preset = subnetworkVariants[variant];
    const widths = options.widths ?? preset.widths;
    if (!Array.isArray(widths) || widths.length === 0) throw new NnphysError('AtomSumNetwork: widths must be a non-empty array of layer widths');
    for (const [i, w] of widths.entries()) assertPositiveInteger(w, `AtomSumNetwork: widths[${i}]`);
    this.l2 = options.l2 ?? preset.l2;
    this.dropout = options.dropout ?? preset.dropout;
    assertInRange(this.l2, 'AtomSumNetwork: l2', 0, Number.MAX_VALUE);
    assertInRange(this.dropout, 'AtomSumNetwork: dropout', 0, 0.99);
    const rng = resolveRandom(options.seed);
    this.inputs = options.inputs;
    this.setSize = options.setSize;
    this.shared = options.shared;
    this.widths = [...widths];
    const list = this.addModule('subnetworks', new LayerList());
    this.subnetworks = [];
    for (let k = 0; k < (this.shared ? 1 : this.setSize); k++) {
      const net = new MLP({
        inputs: this.inputs,
        hidden: this.widths.slice(0, -1),
        outputs: this.widths[this.widths.length - 1] as number,
        activation: 'relu',
        outputActivation: 'relu',
        seed: rng,
      });
      list.push(net);
      this.subnetworks.push(net);
    }
    this.head = this.addModule('head', new Linear({ inputs: this.widths[this.widths.length - 1] as number, outputs: 1, seed: rng }));
  }

  /** f(x) for atoms x [A, inputs] through subnetwork `k`, with dropout after each layer when `rng` is given. */
  private embed(x: tf.Tensor2D, k: number, rng: Random | null): tf.Tensor2D {
    const net = this.subnetworks[this.shared ? 0 : k] as MLP;
    let h: tf.Tensor2D = x;
    for (const layer of net.layers) {
      h = tf.relu(layer.apply(h));
      if (rng && this.dropout > 0) {
        const keep = 1 - this.dropout;
        const m = new Float32Array(h.size);
        for (let i = 0; i < m.length; i++) m[i] = rng.uniform() < keep ? 1 / keep : 0;
        h = tf.mul(h, tf.tensor2d(m, h.shape as [number, number]));
      }
    }
    return h;
  }

  /**
   * ŷ for samples x [B, K, inputs] -> [B, 1]. With `training: true` dropout
   * is active, drawn from `seed` (or the global generator).
   */
  apply(x: tf.Tensor3D, options: { training?: boolean; seed?: number | Random } = {}): tf.Tensor2D {
    assertTensor(x, 'AtomSumNetwork.apply: x', { rank: 3, dtype: 'float32' });
    const [B, K, F] = x.shape;
    if (K !== this.setSize || F !== this.inputs) {
      throw new NnphysError(`AtomSumNetwork.apply: x must have shape [batch, ${this.setSize}, ${this.inputs}], got [${x.shape.join(', ')}]`);
    }
    const rng = options.training ? resolveRandom(options.seed) : null;
    return tf.tidy(() => {
      let pooled: tf.Tensor2D;
      if (this.shared) {
        const h = this.embed(tf.reshape(x, [B * K, F]), 0, rng);
        pooled = tf.sum(tf.reshape(h, [B, K, h.shape[1]]), 1);
      } else {
        const parts: tf.Tensor2D[] = [];
        for (let k = 0; k < K; k++) parts.push(this.embed(tf.reshape(tf.slice(x, [0, k, 0], [B, 1, F]), [B, F]), k, rng));
        pooled = tf.addN(parts);
      }
      return this.head.apply(pooled);
    });
  }

  /**
   * The value the model assigns to each atom x [A, inputs] at `position`
   * (any position for the shared model): w·f_k(a) + b/K, [A]. For the shared
   * model these are the recovered atom values; summing K of them gives ŷ.
   */
  atomValues(atoms: tf.Tensor2D, position = 0): tf.Tensor1D {
    assertTensor(atoms, 'AtomSumNetwork.atomValues: atoms', { rank: 2, dtype: 'float32' });
    if (atoms.shape[1] !== this.inputs) throw new NnphysError(`AtomSumNetwork.atomValues: atoms must have ${this.inputs} features, got shape [${atoms.shape.join(', ')}]`);
    if (!Number.isInteger(position) || position < 0 || position >= this.setSize) {
      throw new NnphysError(`AtomSumNetwork.atomValues: position must be an integer in [0, ${this.setSize - 1}], got ${position}`);
    }
    return tf.tidy(() => {
      const w = this.head.weight;
      const b = this.head.bias as tf.Variable;
      const v = tf.add(tf.matMul(this.embed(atoms, position, null), w), tf.div(b, this.setSize));
      return tf.reshape(v, [atoms.shape[0]]) as tf.Tensor1D;
    });
  }

  /** l2 · Σ ||W||² over the subnetwork kernels (002's kernel_regularizer); 0 when l2 = 0. */
  l2Penalty(): tf.Scalar {
    return tf.tidy(() => {
      if (this.l2 === 0) return tf.scalar(0);
      const terms = this.subnetworks.flatMap((net) => net.layers.map((l) => tf.sum(tf.square(l.weight))));
      return tf.mul(tf.addN(terms), this.l2) as tf.Scalar;
    });
  }
}
