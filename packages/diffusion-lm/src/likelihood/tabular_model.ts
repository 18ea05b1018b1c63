import * as tf from '@tensorflow/tfjs-core';
import { Module, NnphysError, type Random, assertPositiveInteger, gatherRows, resolveRandom } from '@nnphys/core';
import { type TokensLike, readTokens } from '../token_batch.js';
import type { TokenModel } from '../token_model.js';

export interface TabularModelOptions {
  /** Number of ordinary tokens V (ids 0..V-1); the mask token is id V. */
  vocabSize: number;
  /** Sequence length D. */
  length: number;
  /** Standard deviation of the random initial logits (default 1). */
  scale?: number;
  seed?: number | Random;
}

/**
 * A bidirectional "model" that stores one free logit vector for every
 * (input pattern, position): the most general conditional model p(x_tau | x_S)
 * on sequences of D tokens over V ordinary tokens plus a mask token (id V).
 * (V + 1)^D * D * V parameters: only for tiny V and D, to check objectives
 * and bounds against exact enumeration (spec §5).
 */
export class TabularModel extends Module implements TokenModel {
  readonly vocabSize: number;
  readonly outputs: number;
  readonly causal = false;
  readonly maxLength: number;
  readonly maskToken: number;
  readonly padToken = null;
  readonly table: tf.Variable;
  private readonly patterns: number;

  constructor(options: TabularModelOptions) {
    super();
    assertPositiveInteger(options.vocabSize, 'TabularModel: vocabSize');
    assertPositiveInteger(options.length, 'TabularModel: length');
    const { vocabSize: v, length: d } = options;
    this.patterns = (v + 1) ** d;
    if (this.patterns * d * v > 1 << 22) throw new NnphysError(`TabularModel: (V + 1)^D * D * V = ${this.patterns * d * v} parameters is too many; use a tiny vocabulary and length`);
    this.outputs = v;
    this.vocabSize = v + 1;
    this.maskToken = v;
    this.maxLength = d;
    const rng = resolveRandom(options.seed);
    const values = rng.fillNormal(new Float32Array(this.patterns * d * v), 0, options.scale ?? 1);
    this.table = this.addVariable('table', tf.tensor2d(values, [this.patterns, d * v]));
  }

  /**
   * A tabular model whose conditionals are those of a joint distribution p
   * over V^D (joint[x] with x read as base-V digits, position 0 least
   * significant): p(x_tau = v | x_S) = sum of p over completions / sum over
   * completions with any x_tau. Such "consistent" conditionals give
   * q_sigma = p for every order sigma.
   */
  static fromJoint(joint: ArrayLike<number>, options: { vocabSize: number; length: number }): TabularModel {
    const model = new TabularModel({ ...options, scale: 0 });
    const { vocabSize: v, length: d } = options;
    const n = v ** d;
    if (joint.length !== n) throw new NnphysError(`TabularModel.fromJoint: joint must have V^D = ${n} entries, got ${joint.length}`);
    let total = 0;
    for (let i = 0; i < n; i++) {
      const p = joint[i] as number;
      if (!(p >= 0) || !Number.isFinite(p)) throw new NnphysError(`TabularModel.fromJoint: joint[${i}] must be a finite probability >= 0, got ${p}`);
      total += p;
    }
    if (!(total > 0)) throw new NnphysError('TabularModel.fromJoint: joint must have positive total mass');
    const logits = new Float32Array(model.patterns * d * v);
    const digits = new Array<number>(d);
    for (let pattern = 0; pattern < model.patterns; pattern++) {
      for (let i = 0, r = pattern; i < d; i++, r = Math.floor(r / (v + 1))) digits[i] = r % (v + 1);
      // mass[tau * v + value]: mass of completions of the visible digits with x_tau = value.
      const mass = new Float64Array(d * v);
      for (let x = 0; x < n; x++) {
        let ok = true;
        for (let i = 0, r = x; i < d; i++, r = Math.floor(r / v)) {
          const xi = r % v;
          if (digits[i] !== v && digits[i] !== xi) {
            ok = false;
            break;
          }
        }
        if (!ok) continue;
        const p = (joint[x] as number) / total;
        for (let i = 0, r = x; i < d; i++, r = Math.floor(r / v)) mass[i * v + (r % v)] += p;
      }
      for (let tau = 0; tau < d; tau++) {
        for (let value = 0; value < v; value++) {
          // log of an unnormalised conditional; the softmax normalises it. Finite floor for impossible values.
          logits[(pattern * d + tau) * v + value] = Math.max(Math.log(mass[tau * v + value] as number), -80);
        }
      }
    }
    const values = tf.tensor2d(logits, [model.patterns, d * v]);
    model.table.assign(values);
    values.dispose();
    return model;
  }

  /** Logits [batch, D, V]: the table row of each input pattern (mask = id V). */
  apply(tokens: TokensLike): tf.Tensor3D {
    const batch = readTokens(tokens, 'TabularModel.apply: tokens', this.vocabSize, this.maxLength);
    const d = this.maxLength;
    if (batch.length !== d) throw new NnphysError(`TabularModel.apply: tokens must have length D = ${d}, got ${batch.length}`);
    const index = new Int32Array(batch.batch);
    for (let b = 0; b < batch.batch; b++) {
      let pattern = 0;
      for (let i = d - 1; i >= 0; i--) pattern = pattern * (this.vocabSize) + (batch.data[b * d + i] as number);
      index[b] = pattern;
    }
    return tf.tidy(() => tf.reshape(gatherRows(this.table as unknown as tf.Tensor2D, tf.tensor1d(index, 'int32')), [batch.batch, d, this.outputs]) as tf.Tensor3D);
  }
}
