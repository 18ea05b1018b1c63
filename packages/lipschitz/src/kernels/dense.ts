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
  jsGemm(m, n, k, a, aOff, aRow, aCol, b, bOff, bRow, bCol, c, cOff);
}

/**
 * The JavaScript product: 2 rows x 4 columns of C per pass with the eight sums in locals (float64), so each
 * loaded element of A serves 4 products and each of B serves 2 (about 2.5x the speed of a plain dot-product loop
 * on the 20-wide layers of the benchmark), and the strides make it serve h W, h^T dz and dz W^T alike.
 */
function jsGemm(
  m: number, n: number, k: number,
  a: Float32Array, aOff: number, aRow: number, aCol: number,
  b: Float32Array, bOff: number, bRow: number, bCol: number,
  c: Float32Array, cOff: number,
): void {
  const n4 = n - (n % 4);
  let i = 0;
  for (; i + 1 < m; i += 2) {
    const a0 = aOff + i * aRow;
    const a1 = a0 + aRow;
    const c0 = cOff + i * n;
    const c1 = c0 + n;
    let j = 0;
    for (; j < n4; j += 4) {
      let s00 = 0, s01 = 0, s02 = 0, s03 = 0, s10 = 0, s11 = 0, s12 = 0, s13 = 0;
      let bp = bOff + j * bCol;
      let ap = 0;
      for (let p = 0; p < k; p++) {
        const x0 = a[a0 + ap] as number;
        const x1 = a[a1 + ap] as number;
        const y0 = b[bp] as number;
        const y1 = b[bp + bCol] as number;
        const y2 = b[bp + 2 * bCol] as number;
        const y3 = b[bp + 3 * bCol] as number;
        s00 += x0 * y0; s01 += x0 * y1; s02 += x0 * y2; s03 += x0 * y3;
        s10 += x1 * y0; s11 += x1 * y1; s12 += x1 * y2; s13 += x1 * y3;
        ap += aCol;
        bp += bRow;
      }
      c[c0 + j] = s00; c[c0 + j + 1] = s01; c[c0 + j + 2] = s02; c[c0 + j + 3] = s03;
      c[c1 + j] = s10; c[c1 + j + 1] = s11; c[c1 + j + 2] = s12; c[c1 + j + 3] = s13;
    }
    for (; j < n; j++) {
      let s0 = 0, s1 = 0;
      let bp = bOff + j * bCol;
      let ap = 0;
      for (let p = 0; p < k; p++) {
        const y = b[bp] as number;
        s0 += (a[a0 + ap] as number) * y;
        s1 += (a[a1 + ap] as number) * y;
        ap += aCol;
        bp += bRow;
      }
      c[c0 + j] = s0;
      c[c1 + j] = s1;
    }
  }
  for (; i < m; i++) {
    const a0 = aOff + i * aRow;
    const c0 = cOff + i * n;
    for (let j = 0; j < n; j++) {
      let s = 0;
      let bp = bOff + j * bCol;
      let ap = a0;
      for (let p = 0; p < k; p++) {
        s += (a[ap] as number) * (b[bp] as number);
        ap += aCol;
        bp += bRow;
      }
      c[c0 + j] = s;
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
  // Up to 2 threads - 1 equal pieces per call: the addon then runs them one after the other with one set
  // of packing buffers (from 2 threads pieces on, it would hand whole pieces to threads).
  const threads = native.info().threads;
  const perCall = threads > 1 ? 2 * threads - 1 : Number.MAX_SAFE_INTEGER;
  const rowsMax = Math.floor(SERIAL_MAX_MACS / (n * k));
  if (rowsMax >= 1) {
    // pieces of rows of C
    const rows = Math.ceil(m / Math.ceil(m / rowsMax));
    const full = Math.floor(m / rows);
    for (let t = 0; t < full; t += perCall) {
      const count = Math.min(perCall, full - t);
      native.sgemm(count, rows, n, k, a, aOff + t * rows * aRow, rows * aRow, aRow, aCol, b, bOff, 0, bRow, bCol, c, cOff + t * rows * n, rows * n);
    }
    const rest = m - full * rows;
    if (rest > 0) native.sgemm(1, rest, n, k, a, aOff + full * rows * aRow, 0, aRow, aCol, b, bOff, 0, bRow, bCol, c, cOff + full * rows * n, 0);
    return;
  }
  const mn = m * n;
  const depthMax = Math.floor(SERIAL_MAX_MACS / mn);
  if (depthMax < 1) {
    // a single output larger than the threshold: let the addon decide
    native.sgemm(1, m, n, k, a, aOff, 0, aRow, aCol, b, bOff, 0, bRow, bCol, c, cOff, 0);
    return;
  }
  // a long reduction (a weight gradient over the batch): pieces of k into scratch, then summed
  const depth = Math.ceil(k / Math.ceil(k / depthMax));
  const full = Math.floor(k / depth);
  const rest = k - full * depth;
  const pieces = full + (rest > 0 ? 1 : 0);
  if (kScratch.length < pieces * mn) kScratch = new Float32Array(pieces * mn);
  const part = kScratch;
  for (let t = 0; t < full; t += perCall) {
    const count = Math.min(perCall, full - t);
    native.sgemm(count, m, n, depth, a, aOff + t * depth * aCol, depth * aCol, aRow, aCol, b, bOff + t * depth * bRow, depth * bRow, bRow, bCol, part, t * mn, mn);
  }
  if (rest > 0) native.sgemm(1, m, n, rest, a, aOff + full * depth * aCol, 0, aRow, aCol, b, bOff + full * depth * bRow, 0, bRow, bCol, part, full * mn, 0);
  for (let i = 0; i < mn; i++) {
    let sum = 0;
    for (let t = 0; t < pieces; t++) sum += part[t * mn + i] as number;
    c[cOff + i] = sum;
  }
}
