import * as tf from '@tensorflow/tfjs-core';
import {
  type ActivationName,
  LayerList,
  LayerNorm,
  Linear,
  Module,
  NnphysError,
  type Random,
  assertOneOf,
  assertPositiveInteger,
  assertPositiveNumber,
  assertTensor,
  resolveRandom,
} from '@nnphys/core';
import { Embedding } from './layers/embedding.js';
import type { AttentionContext } from './layers/multi_head_attention.js';
import { rotaryTables } from './layers/rotary.js';
import { TransformerBlock } from './layers/transformer_block.js';
import { type TokenBatch, type TokensLike, readMask, readTokens } from './token_batch.js';

export type PositionEncoding = 'rotary' | 'learned';

export interface TransformerOptions {
  /** Number of token ids the model reads (the tokenizer's `size`, special tokens included). */
  vocabSize: number;
  /** Longest sequence the model accepts (and the size of the learned position table). */
  maxLength: number;
  /** Width of the residual stream. */
  dim: number;
  /** Attention heads; must divide dim (and dim / heads must be even for rotary positions). */
  heads: number;
  /** Number of pre-norm blocks. */
  layers: number;
  /** true: query i reads keys j <= i (GPT, AR); false: bidirectional (BERT, MLM, MLM-U). */
  causal: boolean;
  /** Width of each block's MLP (default 4 * dim). */
  hidden?: number;
  /** 'rotary' (default; RoPE as in 004 App. D.7) or 'learned' absolute position embeddings. */
  positions?: PositionEncoding;
  /** Base of the rotary frequencies (default 10000). */
  rotaryBase?: number;
  /** A token id that is padding: keys holding it are hidden from every query. */
  padToken?: number;
  /** Number of output logits (default vocabSize). */
  outputs?: number;
  /** MLP activation (default 'gelu'). */
  activation?: ActivationName;
  seed?: number | Random;
}

export interface TransformerApplyOptions {
  /** Position ids [batch, length] (default 0..length-1). Removing tokens but keeping their original positions leaves the others' outputs unchanged. */
  positions?: tf.Tensor2D | readonly (readonly number[])[];
  /** 1 where a key may be read, 0 where hidden [batch, length]; a query always reads itself. Combined with padding. */
  keyMask?: tf.Tensor2D | readonly (readonly number[])[];
  /** Full mask [batch, length, length], 1 where query i may read key j; combined with the causal, key and padding masks. */
  attentionMask?: tf.Tensor3D;
}

/**
 * A compact pre-norm Transformer over token ids (000 eqs. 3.1 and 6.4; GPT-2
 * layout): token embedding (+ learned positions, or rotary biases in every
 * attention layer), `layers` blocks x + Attn(LN x), x + MLP(LN x), a final
 * LayerNorm and a linear head to logits.
 *
 * `apply(tokens)` returns logits [batch, length, outputs]. A causal model's
 * logits at position t are its prediction for token t + 1; a bidirectional
 * model's logits at t are its prediction for the token at t (used where t
 * holds the mask token).
 */
export class Transformer extends Module {
  readonly vocabSize: number;
  readonly maxLength: number;
  readonly dim: number;
  readonly heads: number;
  readonly layerCount: number;
  readonly causal: boolean;
  readonly hidden: number;
  readonly positionEncoding: PositionEncoding;
  readonly rotaryBase: number;
  readonly padToken: number | null;
  readonly outputs: number;
  readonly tokenEmbedding: Embedding;
  readonly positionEmbedding: Embedding | null;
  readonly blocks: TransformerBlock[];
  readonly finalNorm: LayerNorm;
  readonly head: Linear;

  constructor(options: TransformerOptions) {
    super();
    if (options == null || typeof options !== 'object') throw new NnphysError('Transformer: options must be an object { vocabSize, maxLength, dim, heads, layers, causal }');
    const { vocabSize, maxLength, dim, heads, layers, causal } = options;
    assertPositiveInteger(vocabSize, 'Transformer: vocabSize');
    assertPositiveInteger(maxLength, 'Transformer: maxLength');
    assertPositiveInteger(dim, 'Transformer: dim');
    assertPositiveInteger(heads, 'Transformer: heads');
    assertPositiveInteger(layers, 'Transformer: layers');
    if (typeof causal !== 'boolean') throw new NnphysError(`Transformer: causal must be true (AR) or false (bidirectional), got ${String(causal)}`);
    if (dim % heads !== 0) throw new NnphysError(`Transformer: dim must be divisible by heads, got dim ${dim} and heads ${heads}`);
    const positions = options.positions ?? 'rotary';
    assertOneOf(positions, 'Transformer: positions', ['rotary', 'learned']);
    if (positions === 'rotary' && (dim / heads) % 2 !== 0) throw new NnphysError(`Transformer: rotary positions need an even head size dim / heads, got ${dim} / ${heads} = ${dim / heads}`);
    const hidden = options.hidden ?? 4 * dim;
    assertPositiveInteger(hidden, 'Transformer: hidden');
    const outputs = options.outputs ?? vocabSize;
    assertPositiveInteger(outputs, 'Transformer: outputs');
    const rotaryBase = options.rotaryBase ?? 10000;
    assertPositiveNumber(rotaryBase, 'Transformer: rotaryBase');
    if (options.padToken !== undefined && !(Number.isInteger(options.padToken) && options.padToken >= 0 && options.padToken < vocabSize)) {
      throw new NnphysError(`Transformer: padToken must be a token id in [0, ${vocabSize}), got ${String(options.padToken)}`);
    }
    this.vocabSize = vocabSize;
    this.maxLength = maxLength;
    this.dim = dim;
    this.heads = heads;
    this.layerCount = layers;
    this.causal = causal;
    this.hidden = hidden;
    this.positionEncoding = positions;
    this.rotaryBase = rotaryBase;
    this.padToken = options.padToken ?? null;
    this.outputs = outputs;
    const rng = resolveRandom(options.seed);
    this.tokenEmbedding = this.addModule('tokens', new Embedding({ count: vocabSize, dim, seed: rng }));
    this.positionEmbedding = positions === 'learned' ? this.addModule('positions', new Embedding({ count: maxLength, dim, seed: rng })) : null;
    const list = this.addModule('blocks', new LayerList());
    this.blocks = [];
    for (let i = 0; i < layers; i++) {
      const block = new TransformerBlock({ dim, heads, hidden, activation: options.activation, seed: rng });
      list.push(block);
      this.blocks.push(block);
    }
    this.finalNorm = this.addModule('norm', new LayerNorm({ features: dim }));
    this.head = this.addModule('head', new Linear({ inputs: dim, outputs, seed: rng }));
  }

  /** Logits [batch, length, outputs] for token ids [batch, length]. */
  apply(tokens: TokensLike, options: TransformerApplyOptions = {}): tf.Tensor3D {
    const batch = readTokens(tokens, 'Transformer.apply: tokens', this.vocabSize, this.maxLength);
    const positions = this.readPositions(options.positions, batch);
    return tf.tidy(() => this.forward(this.embedTokens(batch, positions), batch, positions, options));
  }

  /**
   * The input of the first block, [batch, length, dim]: token embeddings plus
   * learned position embeddings (rotary positions act inside attention instead).
   * With `applyEmbedded` this splits `apply`, e.g. to differentiate with respect to the inputs.
   */
  embed(tokens: TokensLike, options: { positions?: TransformerApplyOptions['positions'] } = {}): tf.Tensor3D {
    const batch = readTokens(tokens, 'Transformer.embed: tokens', this.vocabSize, this.maxLength);
    const positions = this.readPositions(options.positions, batch);
    return tf.tidy(() => this.embedTokens(batch, positions));
  }

  /**
   * Logits from block inputs h [batch, length, dim] (see `embed`). Padding is
   * not known here: pass it as a `keyMask`.
   */
  applyEmbedded(h: tf.Tensor3D, options: TransformerApplyOptions = {}): tf.Tensor3D {
    assertTensor(h, 'Transformer.applyEmbedded: h', { rank: 3, dtype: 'float32' });
    const [b, t, d] = h.shape;
    if (d !== this.dim) throw new NnphysError(`Transformer.applyEmbedded: h must have ${this.dim} features, got shape [${h.shape.join(', ')}]`);
    if (t > this.maxLength) throw new NnphysError(`Transformer.applyEmbedded: h has length ${t}, longer than the model's maxLength ${this.maxLength}`);
    const shape: TokenBatch = { data: new Int32Array(0), batch: b, length: t };
    const positions = this.readPositions(options.positions, shape);
    return tf.tidy(() => this.forward(h, shape, positions, options, false));
  }

  private readPositions(positions: TransformerApplyOptions['positions'], batch: TokenBatch): Int32Array {
    const out = new Int32Array(batch.batch * batch.length);
    if (positions === undefined) {
      for (let i = 0; i < out.length; i++) out[i] = i % batch.length;
      return out;
    }
    const name = 'Transformer.apply: positions';
    if (Array.isArray(positions)) {
      if (positions.length !== batch.batch) throw new NnphysError(`${name} must have ${batch.batch} rows like the tokens, got ${positions.length}`);
      for (let b = 0; b < batch.batch; b++) {
        const row = positions[b] as readonly number[];
        if (!Array.isArray(row) || row.length !== batch.length) throw new NnphysError(`${name}[${b}] must hold ${batch.length} positions like the tokens`);
        for (let t = 0; t < batch.length; t++) out[b * batch.length + t] = row[t] as number;
      }
    } else {
      assertTensor(positions, name, { rank: 2, dtype: 'int32' });
      if (positions.shape[0] !== batch.batch || positions.shape[1] !== batch.length) throw new NnphysError(`${name} must have shape [${batch.batch}, ${batch.length}] like the tokens, got [${positions.shape.join(', ')}]`);
      out.set(positions.dataSync() as Int32Array);
    }
    for (let i = 0; i < out.length; i++) {
      const p = out[i] as number;
      if (!Number.isInteger(p) || p < 0 || p >= this.maxLength) throw new NnphysError(`${name}[${Math.floor(i / batch.length)}][${i % batch.length}] = ${p} must be an integer position in [0, ${this.maxLength})`);
    }
    return out;
  }

  private embedTokens(batch: TokenBatch, positions: Int32Array): tf.Tensor3D {
    const { dim } = this;
    const ids = tf.tensor1d(batch.data, 'int32');
    let h: tf.Tensor = this.tokenEmbedding.apply(ids);
    if (this.positionEmbedding) h = tf.add(h, this.positionEmbedding.apply(tf.tensor1d(positions, 'int32')));
    return tf.reshape(h, [batch.batch, batch.length, dim]) as tf.Tensor3D;
  }

  private forward(h: tf.Tensor3D, batch: TokenBatch, positions: Int32Array, options: TransformerApplyOptions, usePad = true): tf.Tensor3D {
    const context: AttentionContext = {
      allowed: this.attentionMask(batch, options, usePad),
      rotary: this.positionEncoding === 'rotary' ? rotaryTables(positions, batch.batch, batch.length, this.dim / this.heads, this.rotaryBase) : null,
    };
    let x = h;
    for (const block of this.blocks) x = block.apply(x, context);
    const flat = tf.reshape(this.finalNorm.apply(x), [batch.batch * batch.length, this.dim]) as tf.Tensor2D;
    return tf.reshape(this.head.apply(flat), [batch.batch, batch.length, this.outputs]) as tf.Tensor3D;
  }

  /**
   * The 0/1 mask allowed[b, 0, i, j] = causal(i, j) * attention(b, i, j) * (key(b, j) or i == j),
   * built on the host; null when every key is visible. Padding and key masks
   * never hide a query's own position, so no row is empty; a user attention
   * mask that empties a row is an error (the softmax would spread over hidden keys).
   */
  private attentionMask(batch: TokenBatch, options: TransformerApplyOptions, usePad: boolean): tf.Tensor | null {
    const { batch: B, length: T } = batch;
    let key: Uint8Array | null = options.keyMask !== undefined ? readMask(options.keyMask, 'Transformer.apply: keyMask', B, T) : null;
    if (usePad && this.padToken !== null) {
      for (let i = 0; i < batch.data.length; i++) {
        if (batch.data[i] === this.padToken) {
          key ??= new Uint8Array(B * T).fill(1);
          key[i] = 0;
        }
      }
    }
    if (key?.every((v) => v === 1)) key = null;
    let attention: Float32Array | null = null;
    if (options.attentionMask !== undefined) {
      const m = options.attentionMask;
      assertTensor(m, 'Transformer.apply: attentionMask', { rank: 3 });
      if (m.shape[0] !== B || m.shape[1] !== T || m.shape[2] !== T) throw new NnphysError(`Transformer.apply: attentionMask must have shape [${B}, ${T}, ${T}], got [${m.shape.join(', ')}]`);
      attention = Float32Array.from(m.dataSync(), (v) => (v !== 0 ? 1 : 0));
    }
    if (!key && !attention) return this.causal ? tf.linalg.bandPart(tf.ones([1, 1, T, T]), -1, 0) : null;
    const allowed = new Float32Array(B * T * T);
    for (let b = 0; b < B; b++) {
      for (let i = 0; i < T; i++) {
        let any = false;
        for (let j = 0; j < T; j++) {
          let a = this.causal && j > i ? 0 : 1;
          if (a && key && key[b * T + j] === 0 && i !== j) a = 0;
          if (a && attention && attention[(b * T + i) * T + j] === 0) a = 0;
          allowed[(b * T + i) * T + j] = a;
          if (a) any = true;
        }
        if (!any) throw new NnphysError(`Transformer.apply: attentionMask leaves query ${i} of sequence ${b} with no key to read`);
      }
    }
    return tf.tensor4d(allowed, [B, 1, T, T]);
  }
}
