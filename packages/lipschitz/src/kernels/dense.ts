import { nativeKernels } from '@nnphys/core';

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
    native.sgemm(1, m, n, k, a, aOff, 0, aRow, aCol, b, bOff, 0, bRow, bCol, c, cOff, 0);
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

