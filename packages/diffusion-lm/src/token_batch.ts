import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, assertTensor } from '@nnphys/core';

/** A batch of token sequences on the host: row-major ids, batch x length. */
export interface TokenBatch {
  data: Int32Array;
  batch: number;
  length: number;
}

/** Tokens as given by a user: an int32 tensor [batch, length] or equal-length arrays of ids. */
export type TokensLike = tf.Tensor2D | readonly (readonly number[])[];

/**
 * Reads and checks a batch of token ids: rank 2, integer, each id in
 * [0, vocabSize), length within maxLength. Errors name the argument and the
 * first offending entry.
 */
export function readTokens(tokens: TokensLike, name: string, vocabSize: number, maxLength?: number): TokenBatch {
  let data: Int32Array;
  let batch: number;
  let length: number;
  if (Array.isArray(tokens)) {
    batch = tokens.length;
    if (batch === 0) throw new NnphysError(`${name} must hold at least one sequence, got an empty array`);
    length = (tokens[0] as readonly number[] | undefined)?.length ?? 0;
    data = new Int32Array(batch * length);
    for (let b = 0; b < batch; b++) {
      const row = tokens[b] as readonly number[];
      if (!Array.isArray(row)) throw new NnphysError(`${name}[${b}] must be an array of token ids, got ${typeof row}`);
      if (row.length !== length) throw new NnphysError(`${name} must have equal-length rows (pad them): row 0 has ${length} tokens, row ${b} has ${row.length}`);
      for (let t = 0; t < length; t++) {
        const v = row[t] as number;
        if (!Number.isInteger(v)) throw new NnphysError(`${name}[${b}][${t}] must be an integer token id, got ${String(v)}`);
        data[b * length + t] = v;
      }
    }
  } else {
    assertTensor(tokens, name, { rank: 2, dtype: 'int32' });
    [batch, length] = tokens.shape;
    if (batch === 0) throw new NnphysError(`${name} must hold at least one sequence, got shape [${tokens.shape.join(', ')}]`);
    data = tokens.dataSync() as Int32Array;
  }
  if (length === 0) throw new NnphysError(`${name} must have at least one token per sequence, got length 0`);
  if (maxLength !== undefined && length > maxLength) throw new NnphysError(`${name} has sequences of length ${length}, longer than the model's maxLength ${maxLength}`);
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v < 0 || v >= vocabSize) {
      throw new NnphysError(`${name}[${Math.floor(i / length)}][${i % length}] = ${v} is outside the vocabulary [0, ${vocabSize})`);
    }
  }
  return { data, batch, length };
}

/** The batch as an int32 tensor. */
export function tokensTensor(batch: TokenBatch): tf.Tensor2D {
  return tf.tensor2d(batch.data, [batch.batch, batch.length], 'int32');
}

/** Reads a 0/1 matrix [batch, length] (tensor or arrays); any non-zero counts as 1. */
export function readMask(mask: tf.Tensor2D | readonly (readonly number[])[], name: string, batch: number, length: number): Uint8Array {
  const out = new Uint8Array(batch * length);
  if (Array.isArray(mask)) {
    if (mask.length !== batch) throw new NnphysError(`${name} must have ${batch} rows like the tokens, got ${mask.length}`);
    for (let b = 0; b < batch; b++) {
      const row = mask[b] as readonly number[];
      if (!Array.isArray(row) || row.length !== length) throw new NnphysError(`${name}[${b}] must be an array of ${length} entries like the tokens, got ${Array.isArray(row) ? `length ${row.length}` : typeof row}`);
      for (let t = 0; t < length; t++) {
        const v = row[t] as number;
        if (typeof v !== 'number' || Number.isNaN(v)) throw new NnphysError(`${name}[${b}][${t}] must be 0 or 1, got ${String(v)}`);
        out[b * length + t] = v !== 0 ? 1 : 0;
      }
    }
    return out;
  }
  assertTensor(mask, name, { rank: 2 });
  if (mask.shape[0] !== batch || mask.shape[1] !== length) throw new NnphysError(`${name} must have shape [${batch}, ${length}] like the tokens, got [${mask.shape.join(', ')}]`);
  const values = mask.dataSync();
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (Number.isNaN(v)) throw new NnphysError(`${name} has NaN at flat index ${i}`);
    out[i] = v !== 0 ? 1 : 0;
  }
  return out;
}
