import { loadNative } from './load.js';

/** A row-major matrix over a Float32Array, optionally read transposed. */
export interface MatMulOperand {
  data: Float32Array;
  rows: number;
  cols: number;
  transpose?: boolean;
}

function check(x: MatMulOperand, name: string): void {
  if (!(x.data instanceof Float32Array)) throw new TypeError(`matMul: ${name}.data must be a Float32Array`);
  for (const key of ['rows', 'cols'] as const) {
    if (!Number.isInteger(x[key]) || x[key] < 0) throw new RangeError(`matMul: ${name}.${key} must be a non-negative integer, got ${x[key]}`);
  }
  if (x.data.length !== x.rows * x.cols) {
    throw new RangeError(`matMul: ${name}.data has ${x.data.length} elements, expected rows * cols = ${x.rows * x.cols}`);
  }
}

/**
 * op(A) op(B) for row-major float32 matrices, op = transpose when asked, into
 * `out` (length m*n) or a new array. Throws when the addon is unavailable.
 */
export function matMul(a: MatMulOperand, b: MatMulOperand, out?: Float32Array): Float32Array {
  const native = loadNative();
  if (!native) throw new Error('matMul: the @nnphys/native addon is not available (see nativeUnavailableReason())');
  check(a, 'a');
  check(b, 'b');
  const m = a.transpose ? a.cols : a.rows;
  const k = a.transpose ? a.rows : a.cols;
  const kb = b.transpose ? b.cols : b.rows;
  const n = b.transpose ? b.rows : b.cols;
  if (k !== kb) throw new RangeError(`matMul: inner dimensions differ: op(a) is ${m}x${k}, op(b) is ${kb}x${n}`);
  const c = out ?? new Float32Array(m * n);
  if (c.length !== m * n) throw new RangeError(`matMul: out has ${c.length} elements, expected ${m * n}`);
  const [aRow, aCol] = a.transpose ? [1, a.cols] : [a.cols, 1];
  const [bRow, bCol] = b.transpose ? [1, b.cols] : [b.cols, 1];
  native.sgemm(1, m, n, k, a.data, 0, 0, aRow, aCol, b.data, 0, 0, bRow, bCol, c, 0, 0);
  return c;
}
