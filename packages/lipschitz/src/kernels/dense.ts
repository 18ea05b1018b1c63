import { type NativeKernels, nativeKernels } from '@nnphys/core';

/**
 * Dense products of the fused network kernels, over typed arrays (plain
 * arrays, or views into tfjs-backend-wasm's heap):
 *   C[i, j] = sum_p A(i, p) B(p, j),  A(i, p) = a[aOff + i aRow + p aCol],
 *   B(p, j) = b[bOff + p bRow + j bCol],  C[i, j] = c[cOff + i n + j] (overwritten).
 * On @nnphys/native's threaded SGEMM when core reports it (Node with the addon
 * built, not switched off), else JavaScript loops accumulating in float64.
 */

/**
 * Below this many multiply-adds a JavaScript loop beats the N-API call (measured: ~0.5 us per call,
 * a 1024x20x20 product ~10-15 us on the addon).
 */
const NATIVE_MIN_MACS = 1 << 10;

/**
 * @nnphys/native runs a product on several OpenMP threads from 48 Ki multiply-adds on (its
 * PARALLEL_MIN_MACS). This network's products are 10-20 us, where a second thread saves a few
 * microseconds on an idle machine but can stall for milliseconds when the other core is busy
 * (measured on the shared 2-core machine: 0.3-2 ms per product). So products are split into
 * serial pieces below that threshold: along the rows of C, or along k into scratch and summed.
 */
const SERIAL_MAX_MACS = 48 * 1024 - 1;

let kScratch = new Float32Array(1024);

let rowScratch = new Float64Array(64);

function rowBuffer(n: number): Float64Array {
  if (rowScratch.length < n) rowScratch = new Float64Array(Math.max(n, 2 * rowScratch.length));
  return rowScratch;
}

export function gemm(
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, aRow: number, aCol: number,
  b: Float32Array, bOff: number, bRow: number, bCol: number,
  c: Float32Array, cOff: number,
): void {
  if (m === 0 || n === 0) return;
  if (k === 0) {
    c.fill(0, cOff, cOff + m * n);
    return;
  }
  const native = m * n * k >= NATIVE_MIN_MACS ? nativeKernels() : null;
  if (native !== null) {
    serialSgemm(native, m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff);
    return;
  }
  if (bCol === 1 && aRow === 1) {
    // A transposed (a weight gradient h^T dz): accumulate outer products of rows p.
    const acc = rowBuffer(m * n);
    acc.fill(0, 0, m * n);
    for (let p = 0; p < k; p++) {
      const ap = aOff + p * aCol;
      const bp = bOff + p * bRow;
      for (let i = 0; i < m; i++) {
        const av = a[ap + i] as number;
        const o = i * n;
        for (let j = 0; j < n; j++) acc[o + j] = (acc[o + j] as number) + av * (b[bp + j] as number);
      }
    }
    for (let i = 0; i < m * n; i++) c[cOff + i] = acc[i] as number;
    return;
  }
  if (bCol === 1) {
    // Row-major B (a forward layer h W): row i of C is a combination of the rows of B.
    const acc = rowBuffer(n);
    for (let i = 0; i < m; i++) {
      acc.fill(0, 0, n);
      const ai = aOff + i * aRow;
      for (let p = 0; p < k; p++) {
        const av = a[ai + p * aCol] as number;
        const bp = bOff + p * bRow;
        for (let j = 0; j < n; j++) acc[j] = (acc[j] as number) + av * (b[bp + j] as number);
      }
      const ci = cOff + i * n;
      for (let j = 0; j < n; j++) c[ci + j] = acc[j] as number;
    }
    return;
  }
  // General strides (B transposed: the input gradient dz W^T): dot products.
  for (let i = 0; i < m; i++) {
    const ai = aOff + i * aRow;
    const ci = cOff + i * n;
    for (let j = 0; j < n; j++) {
      const bj = bOff + j * bCol;
      let s = 0;
      for (let p = 0; p < k; p++) s += (a[ai + p * aCol] as number) * (b[bj + p * bRow] as number);
      c[ci + j] = s;
    }
  }
}

function serialSgemm(
  native: NativeKernels,
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, aRow: number, aCol: number,
  b: Float32Array, bOff: number, bRow: number, bCol: number,
  c: Float32Array, cOff: number,
): void {
  const rows = Math.floor(SERIAL_MAX_MACS / (n * k));
  if (rows >= 1) {
    // pieces of rows of C
    for (let i = 0; i < m; i += rows) {
      const mi = Math.min(rows, m - i);
      native.sgemm(1, mi, n, k, a, aOff + i * aRow, 0, aRow, aCol, b, bOff, 0, bRow, bCol, c, cOff + i * n, 0);
    }
    return;
  }
  // a long reduction (a weight gradient over the batch): pieces of k, summed
  const mn = m * n;
  const depth = Math.max(1, Math.floor(SERIAL_MAX_MACS / mn));
  if (mn > SERIAL_MAX_MACS) {
    native.sgemm(1, m, n, k, a, aOff, 0, aRow, aCol, b, bOff, 0, bRow, bCol, c, cOff, 0);
    return;
  }
  if (kScratch.length < mn) kScratch = new Float32Array(mn);
  const part = kScratch;
  for (let p = 0; p < k; p += depth) {
    const kp = Math.min(depth, k - p);
    if (p === 0) {
      native.sgemm(1, m, n, kp, a, aOff, 0, aRow, aCol, b, bOff, 0, bRow, bCol, c, cOff, 0);
    } else {
      native.sgemm(1, m, n, kp, a, aOff + p * aCol, 0, aRow, aCol, b, bOff + p * bRow, 0, bRow, bCol, part, 0, 0);
      for (let i = 0; i < mn; i++) c[cOff + i] = (c[cOff + i] as number) + (part[i] as number);
    }
  }
}
