// Shared test helpers: independent float64 references (no code shared with src/).
import * as tf from '@tensorflow/tfjs-core';
import type { Random } from '@nnphys/core';

export const backends = ['cpu', 'wasm'] as const;

/** Random [rows, cols] float32 matrix with entries ~ N(0, scale^2). */
export function randomMatrix(rng: Random, rows: number, cols: number, scale = 1): Float32Array {
  return Float32Array.from({ length: rows * cols }, () => scale * rng.normal());
}

/**
 * ||W||_kind for a tfjs kernel K = W^T ([inputs, outputs]) by a direct float64
 * formula written from the spec table (004 §2.2; spec §2.1).
 */
export function refKindNorm(k: ArrayLike<number>, inputs: number, outputs: number, kind: 'one' | 'inf' | 'one-inf' | 'two-inf'): number {
  const W = (j: number, i: number) => k[i * outputs + j] as number; // W[out j][in i]
  let best = 0;
  if (kind === 'one') {
    for (let i = 0; i < inputs; i++) {
      let s = 0;
      for (let j = 0; j < outputs; j++) s += Math.abs(W(j, i));
      best = Math.max(best, s);
    }
  } else if (kind === 'inf' || kind === 'two-inf') {
    for (let j = 0; j < outputs; j++) {
      let s = 0;
      for (let i = 0; i < inputs; i++) s += kind === 'inf' ? Math.abs(W(j, i)) : W(j, i) ** 2;
      best = Math.max(best, kind === 'inf' ? s : Math.sqrt(s));
    }
  } else {
    for (let i = 0; i < k.length; i++) best = Math.max(best, Math.abs(k[i] as number));
  }
  return best;
}

/** Number of live tensors after running f (f's returned tensors disposed). */
export function leakCheck(f: () => void): number {
  const before = tf.memory().numTensors;
  f();
  return tf.memory().numTensors - before;
}
