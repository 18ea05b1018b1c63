import type * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '@nnphys/core';
import type { TokensLike } from './token_batch.js';

/** Short description of a value for error messages (core keeps its own helper internal). */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 37)}...` : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  const t = value as { shape?: number[]; dtype?: string };
  if (Array.isArray(t.shape) && typeof t.dtype === 'string') return `a ${t.dtype} tensor of shape [${t.shape.join(', ')}]`;
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return typeof value;
}

/**
 * What the objectives, generation and likelihood functions need from a model:
 * logits [batch, length, outputs] for token ids [batch, length]. `Transformer`
 * and `TabularModel` implement it.
 */
export interface TokenModel {
  /** Number of input ids (special tokens included). */
  readonly vocabSize: number;
  /** Number of logits per position (ids 0..outputs-1 can be predicted). */
  readonly outputs: number;
  /** true: logits at t predict token t + 1 from tokens <= t. false: logits at t predict token t from the whole (partly masked) input. */
  readonly causal: boolean;
  /** Longest accepted sequence. */
  readonly maxLength: number;
  /** Padding id, if the model hides padding keys. */
  readonly padToken?: number | null;
  apply(tokens: TokensLike): tf.Tensor3D;
}

export function assertTokenModel(model: unknown, name: string, mode?: 'causal' | 'bidirectional'): asserts model is TokenModel {
  const m = model as TokenModel | null;
  if (m == null || typeof m.apply !== 'function' || typeof m.vocabSize !== 'number' || typeof m.causal !== 'boolean') {
    throw new NnphysError(`${name}: model must be a token model (Transformer or TabularModel), got ${describeValue(model)}`);
  }
  if (mode === 'causal' && !m.causal) throw new NnphysError(`${name}: needs a causal model (new Transformer({ ..., causal: true })); this model is bidirectional and would read the tokens it predicts`);
  if (mode === 'bidirectional' && m.causal) throw new NnphysError(`${name}: needs a bidirectional model (new Transformer({ ..., causal: false })); a causal model cannot read the unmasked tokens after a masked one`);
}

/** Checks a special token id (e.g. the mask token) against the model's vocabulary. */
export function assertTokenId(id: unknown, name: string, model: TokenModel, hint = ''): asserts id is number {
  if (id === undefined || id === null) throw new NnphysError(`${name} is required${hint ? ` (${hint})` : ''}`);
  if (typeof id !== 'number' || !Number.isInteger(id) || id < 0 || id >= model.vocabSize) {
    throw new NnphysError(`${name} must be a token id in [0, ${model.vocabSize}) of the model's vocabulary, got ${describeValue(id)}${hint ? ` (${hint})` : ''}`);
  }
}
