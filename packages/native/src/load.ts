import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

export interface NativeInfo {
  /** The SGEMM micro-kernel chosen for this CPU: 'avx2-fma' or 'generic'. */
  kernel: string;
  /** Threads the kernels use (default: the machine's processors). */
  threads: number;
}

/**
 * The raw kernels. They work in place on typed arrays (any view, including
 * one into tfjs-backend-wasm's heap), check every index range they touch
 * and throw RangeError/TypeError naming the argument otherwise.
 */
export interface NativeKernels {
  /**
   * C[t] = A[t] B[t] for t < batch, with element strides:
   * A(t,i,p) = a[aOffset + t*aBatch + i*aRow + p*aCol], B(t,p,j) = b[bOffset + t*bBatch + p*bRow + j*bCol],
   * C(t,i,j) = c[cOffset + t*cBatch + i*n + j] (overwritten). A batch stride of 0 broadcasts that operand.
   */
  sgemm(
    batch: number, m: number, n: number, k: number,
    a: Float32Array, aOffset: number, aBatch: number, aRow: number, aCol: number,
    b: Float32Array, bOffset: number, bBatch: number, bRow: number, bCol: number,
    c: Float32Array, cOffset: number, cBatch: number,
    /** Add the product to C instead of overwriting it (default false). */
    accumulate?: boolean,
  ): void;
  /**
   * Analytic infinite-width NNGP and NTK (float64) of a stack of affine and abRelu rules, for every pair of
   * rows of x1 (n1 x d, row-major) and x2 (n2 x d; null: x2 = x1, n2 = n1, upper triangle computed and mirrored).
   * `rules` holds triples (kind, p, q): kind 0 = affine / dense (p = sigmaW^2, q = sigmaB^2), kind 1 = abRelu
   * (phi(x) = p min(x, 0) + q max(x, 0)). The input layer is Sigma = x.x'/d, Theta = 0. Writes nngp and ntk
   * (n1 x n2, row-major); they may not overlap each other or the inputs. Used by @nnphys/ntk's `kernel`.
   */
  ntkFused(
    n1: number, n2: number, d: number,
    x1: Float64Array, x2: Float64Array | null,
    rules: Float64Array,
    nngp: Float64Array, ntk: Float64Array,
  ): void;
  /** y = gelu(x) = x Phi(x) (erf form; |error| ~ 3e-7 relative), x and y of equal length. */
  geluForward(x: Float32Array, y: Float32Array): void;
  /** dx = dy * gelu'(x) = dy * (Phi(x) + x phi(x)). */
  geluBackward(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  /** out[s, :] = sum of data[e, :] over e with ids[e] = s (ids < 0 dropped); float64 accumulation in row order. */
  segmentSum(data: Float32Array, ids: Int32Array, out: Float32Array, f: number, numSegments: number): void;
  /** out[j] = sum over rows of data[r, j]; float64 accumulation in row order. */
  columnSums(data: Float32Array, rows: number, cols: number, out: Float32Array): void;
  /** out[e, :] = data[ids[e], :] (zero rows for ids < 0); data has f columns. */
  gatherRows(data: Float32Array, f: number, ids: Int32Array, out: Float32Array): void;
  /**
   * One Adam step in tf.train.adam's form over theta.length parameters: m, v updated in place, new parameters
   * into next; c1 = 1/(1-beta1^t), c2 = 1/(1-beta2^t). float64 arithmetic in the order of core's FusedAdam.
   */
  adamStep(theta: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, next: Float32Array, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number): void;
  /**
   * GroupSort: sorts each row of x ([rows, width]) in contiguous groups of groupSize (<= 64), ascending and stable
   * (NaN last); values gets the sorted values, perm the source index along the row of each output position.
   */
  groupSort(x: Float32Array, values: Float32Array, perm: Int32Array, width: number, groupSize: number): void;
  /** out[e, :] = relu(out[e, :] + a[ia[e], :] + b[ib[e], :]), rows of width f (an edge MLP's pre-activation). */
  gatherAddRelu(out: Float32Array, a: Float32Array, ia: Int32Array, b: Float32Array, ib: Int32Array, f: number): void;
  /** x[r, j] = act(x[r, j] + bias[j] + s[r] c[j]) over rows of width f; null leaves a term out (s and c together). */
  affineRelu(x: Float32Array, bias: Float32Array | null, s: Float32Array | null, c: Float32Array | null, f: number, relu: boolean): void;
  /** x[i] = ref[i] > 0 ? x[i] : 0 (ReLU's backward from its output). */
  reluMask(x: Float32Array, ref: Float32Array): void;
  /** y[i] = act(o[i]) + h[i] (h null: no residual). */
  reluAdd(y: Float32Array, o: Float32Array, h: Float32Array | null, relu: boolean): void;
  /**
   * Rotary position embedding of x [batch, heads, t, d] with cos/sin tables [batch, t, d] (pairs i, i + d/2) into y;
   * `transpose` applies the transposed rotation (the backward pass).
   */
  rotary(x: Float32Array, cos: Float32Array, sin: Float32Array, y: Float32Array, batch: number, heads: number, t: number, d: number, transpose: boolean): void;
  /** out = transpose(x, perm) for x of `shape` (rank 1-8); x and out both Float32Array or both Int32Array. */
  transpose(x: Float32Array | Int32Array, out: Float32Array | Int32Array, shape: number[], perm: number[]): void;
  info(): NativeInfo;
  /** Threads for later calls (1..256). */
  setNumThreads(threads: number): void;
}

let cached: NativeKernels | null | undefined;
let reason: string | null = null;

function addonPath(): string {
  // dist/index.{js,cjs} -> ../build/nnphys_native.node
  const here = dirname(fileURLToPath(import.meta.url));
  return join(here, '..', 'build', 'nnphys_native.node');
}

/**
 * The compiled addon, or null when it is not available (not built: no C
 * compiler at install time; disabled with NNPHYS_NATIVE=0; not Node).
 * `nativeUnavailableReason()` says why.
 */
export function loadNative(): NativeKernels | null {
  if (cached !== undefined) return cached;
  cached = null;
  if (process.env.NNPHYS_NATIVE === '0') {
    reason = 'disabled by NNPHYS_NATIVE=0';
    return null;
  }
  const path = addonPath();
  if (!existsSync(path)) {
    reason = `the addon was not built (${path} is missing); run \`node scripts/compile.mjs\` in @nnphys/native with a C compiler installed`;
    return null;
  }
  try {
    cached = createRequire(import.meta.url)(path) as NativeKernels;
  } catch (error) {
    reason = `loading ${path} failed: ${error instanceof Error ? error.message : String(error)}`;
  }
  return cached;
}

/** Why `loadNative()` returned null (null when it did not). */
export function nativeUnavailableReason(): string | null {
  loadNative();
  return reason;
}
