import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, assertTensor } from '@nnphys/core';

/** A dense batch of sets [B, S, F] (with an optional 0/1 mask [B, S]) seen as B segments of rows. */
export interface SetSegments {
  /** [B * S, F] */
  rows: tf.Tensor2D;
  /** int32 [B * S]: set b for real elements, B (a dump segment, dropped afterwards) for masked ones. */
  ids: tf.Tensor1D;
  /** float32 [B * S, 1]: 1 for real elements, 0 for masked; null when there is no mask. */
  mask: tf.Tensor2D | null;
  batch: number;
  size: number;
}

/**
 * Validates x [B, S, F] and mask [B, S] (bool, int32 or float32 with values
 * 0 and 1) and flattens them. Call inside tf.tidy. Masked elements go to an
 * extra segment B so that no pooling mode (max included) ever sees them.
 */
export function setSegments(x: unknown, mask: unknown, name: string): SetSegments {
  assertTensor(x, `${name}: x`, { rank: 3, dtype: 'float32' });
  const [B, S, F] = x.shape as [number, number, number];
  const rows = tf.reshape(x, [B * S, F]) as tf.Tensor2D;
  if (mask === undefined || mask === null) {
    const ids = tf.reshape(tf.tile(tf.expandDims(tf.range(0, B, 1, 'int32'), 1), [1, S]), [B * S]) as tf.Tensor1D;
    return { rows, ids, mask: null, batch: B, size: S };
  }
  assertTensor(mask, `${name}: mask`, { rank: 2, dtype: ['bool', 'int32', 'float32'] });
  if (mask.shape[0] !== B || mask.shape[1] !== S) {
    throw new NnphysError(`${name}: mask must have shape [${B}, ${S}] to match x, got shape [${mask.shape.join(', ')}]`);
  }
  const values = mask.dataSync();
  const ids = new Int32Array(B * S);
  const m = new Float32Array(B * S);
  for (let i = 0; i < B * S; i++) {
    const v = Number(values[i]);
    if (v !== 0 && v !== 1) throw new NnphysError(`${name}: mask entries must be 0 or 1, got ${v} at [${Math.floor(i / S)}, ${i % S}]`);
    ids[i] = v === 1 ? Math.floor(i / S) : B;
    m[i] = v;
  }
  return { rows, ids: tf.tensor1d(ids, 'int32'), mask: tf.tensor2d(m, [B * S, 1]), batch: B, size: S };
}
