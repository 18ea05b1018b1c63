import type * as tf from '@tensorflow/tfjs-core';
import { describe, NnphysError } from './errors.js';

/**
 * Input checks shared by every package. Each throws NnphysError naming the
 * argument (`name`), what was expected and what came.
 */

export function assertPositiveInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value <= 0) {
    throw new NnphysError(`${name} must be a positive integer, got ${describe(value)}`);
  }
}

export function assertNonNegativeInteger(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 0) {
    throw new NnphysError(`${name} must be a non-negative integer, got ${describe(value)}`);
  }
}

export function assertFiniteNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new NnphysError(`${name} must be a finite number, got ${describe(value)}`);
  }
}

export function assertPositiveNumber(value: unknown, name: string): asserts value is number {
  if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0) {
    throw new NnphysError(`${name} must be a finite number > 0, got ${describe(value)}`);
  }
}

export function assertInRange(value: unknown, name: string, lo: number, hi: number): asserts value is number {
  if (typeof value !== 'number' || !(value >= lo && value <= hi)) {
    throw new NnphysError(`${name} must be a number in [${lo}, ${hi}], got ${describe(value)}`);
  }
}

export function assertOneOf<T extends string | number>(value: unknown, name: string, allowed: readonly T[]): asserts value is T {
  if (!allowed.includes(value as T)) {
    throw new NnphysError(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${describe(value)}`);
  }
}

function isTensor(value: unknown): value is tf.Tensor {
  const t = value as tf.Tensor | null;
  return t != null && typeof t === 'object' && Array.isArray(t.shape) && typeof t.dtype === 'string' && typeof t.dataId === 'object';
}

/**
 * Checks that `value` is a live tensor of the given rank and dtype.
 * `rank` may be a number or a list of allowed ranks.
 */
export function assertTensor(
  value: unknown,
  name: string,
  opts: { rank?: number | number[]; dtype?: tf.DataType | tf.DataType[] } = {},
): asserts value is tf.Tensor {
  if (!isTensor(value)) throw new NnphysError(`${name} must be a tensor, got ${describe(value)}`);
  if (value.isDisposed) throw new NnphysError(`${name} is a disposed tensor`);
  if (opts.rank !== undefined) {
    const ranks = Array.isArray(opts.rank) ? opts.rank : [opts.rank];
    if (!ranks.includes(value.rank)) {
      throw new NnphysError(`${name} must have rank ${ranks.join(' or ')}, got ${describe(value)}`);
    }
  }
  if (opts.dtype !== undefined) {
    const dtypes = Array.isArray(opts.dtype) ? opts.dtype : [opts.dtype];
    if (!dtypes.includes(value.dtype)) {
      throw new NnphysError(`${name} must have dtype ${dtypes.join(' or ')}, got ${describe(value)}`);
    }
  }
}

/** Checks a dimension of a tensor against an expected size. */
export function assertDim(t: tf.Tensor, axis: number, expected: number, name: string, what = `dimension ${axis}`): void {
  const got = t.shape[axis];
  if (got !== expected) {
    throw new NnphysError(`${name} must have ${what} = ${expected}, got ${describe(t)}`);
  }
}

/** Checks a plain matrix (number[][]) is rectangular with finite entries; returns [rows, cols]. */
export function assertMatrix(value: unknown, name: string, opts: { cols?: number; rows?: number } = {}): [number, number] {
  if (!Array.isArray(value)) throw new NnphysError(`${name} must be an array of rows, got ${describe(value)}`);
  const rows = value.length;
  const cols = rows > 0 && Array.isArray(value[0]) ? (value[0] as unknown[]).length : (opts.cols ?? 0);
  for (let i = 0; i < rows; i++) {
    const row = value[i] as unknown;
    if (!Array.isArray(row) && !ArrayBuffer.isView(row)) throw new NnphysError(`${name}[${i}] must be an array, got ${describe(row)}`);
    const r = row as ArrayLike<unknown>;
    if (r.length !== cols) throw new NnphysError(`${name} must be rectangular: row 0 has ${cols} entries but row ${i} has ${r.length}`);
    for (let j = 0; j < cols; j++) {
      const v = r[j];
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new NnphysError(`${name}[${i}][${j}] must be a finite number, got ${describe(v)}`);
    }
  }
  if (opts.rows !== undefined && rows !== opts.rows) throw new NnphysError(`${name} must have ${opts.rows} rows, got ${rows}`);
  if (opts.cols !== undefined && rows > 0 && cols !== opts.cols) throw new NnphysError(`${name} must have ${opts.cols} columns, got ${cols}`);
  return [rows, cols];
}

/** Checks an array of finite numbers; returns its length. */
export function assertNumberArray(value: unknown, name: string, length?: number): number {
  if (!Array.isArray(value) && !(ArrayBuffer.isView(value) && !(value instanceof DataView))) {
    throw new NnphysError(`${name} must be an array of numbers, got ${describe(value)}`);
  }
  const arr = value as ArrayLike<unknown>;
  if (length !== undefined && arr.length !== length) throw new NnphysError(`${name} must have length ${length}, got length ${arr.length}`);
  for (let i = 0; i < arr.length; i++) {
    const v = arr[i];
    if (typeof v !== 'number' || !Number.isFinite(v)) throw new NnphysError(`${name}[${i}] must be a finite number, got ${describe(v)}`);
  }
  return arr.length;
}
