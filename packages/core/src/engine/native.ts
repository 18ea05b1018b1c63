/**
 * The optional native accelerator, @nnphys/native (Node only), found at run
 * time the way tfjs-node is: when it is installed and its addon was built,
 * core's matmul kernels (and package kernels that ask for it) run on it.
 * Loading is synchronous (kernels are synchronous) through Node's
 * `process.getBuiltinModule`, so browser bundles never see a Node import.
 */

/** The kernels core calls: a structural subset of @nnphys/native's `NativeKernels`. */
export interface NativeKernels {
  sgemm(
    batch: number, m: number, n: number, k: number,
    a: Float32Array, aOffset: number, aBatch: number, aRow: number, aCol: number,
    b: Float32Array, bOffset: number, bBatch: number, bRow: number, bCol: number,
    c: Float32Array, cOffset: number, cBatch: number, accumulate?: boolean,
  ): void;
  info(): { kernel: string; threads: number };
  /** Optional kernels (older builds of the addon may lack them; callers check). */
  geluForward?(x: Float32Array, y: Float32Array): void;
  geluBackward?(x: Float32Array, dy: Float32Array, dx: Float32Array): void;
  segmentSum?(data: Float32Array, ids: Int32Array, out: Float32Array, f: number, numSegments: number): void;
  columnSums?(data: Float32Array, rows: number, cols: number, out: Float32Array): void;
  gatherRows?(data: Float32Array, f: number, ids: Int32Array, out: Float32Array): void;
  gatherAddRelu?(out: Float32Array, a: Float32Array, ia: Int32Array, b: Float32Array, ib: Int32Array, f: number): void;
  affineRelu?(x: Float32Array, bias: Float32Array | null, s: Float32Array | null, c: Float32Array | null, f: number, relu: boolean): void;
  reluMask?(x: Float32Array, ref: Float32Array): void;
  reluAdd?(y: Float32Array, o: Float32Array, h: Float32Array | null, relu: boolean): void;
  rotary?(x: Float32Array, cos: Float32Array, sin: Float32Array, y: Float32Array, batch: number, heads: number, t: number, d: number, transpose: boolean): void;
  transpose?(x: Float32Array | Int32Array, out: Float32Array | Int32Array, shape: number[], perm: number[]): void;
  groupSort?(x: Float32Array, values: Float32Array, perm: Int32Array, width: number, groupSize: number): void;
  adamStep?(theta: Float32Array, g: Float32Array, m: Float32Array, v: Float32Array, next: Float32Array, lr: number, beta1: number, beta2: number, epsilon: number, c1: number, c2: number): void;
  setNumThreads(threads: number): void;
}

export interface NativeStatus {
  /** The addon is installed, built and loaded. */
  available: boolean;
  /** Kernels use it (see `setNativeEnabled`). */
  enabled: boolean;
  /** Why it is not available. */
  reason: string | null;
  /** SGEMM micro-kernel ('avx2-fma' or 'generic') and thread count, when available. */
  kernel?: string;
  threads?: number;
}

let loaded: { kernels: NativeKernels | null; reason: string | null } | undefined;
let enabled = true;

type NodeProcess = { getBuiltinModule?: (name: string) => unknown; env?: Record<string, string | undefined> };

function load(): { kernels: NativeKernels | null; reason: string | null } {
  const proc = (globalThis as { process?: NodeProcess }).process;
  if (!proc?.getBuiltinModule) return { kernels: null, reason: 'not running in Node.js (>= 20.16)' };
  let mod: { loadNative(): NativeKernels | null; nativeUnavailableReason(): string | null };
  try {
    const { createRequire } = proc.getBuiltinModule('module') as { createRequire(url: string): (id: string) => unknown };
    mod = createRequire(import.meta.url)('@nnphys/native') as typeof mod;
  } catch {
    return { kernels: null, reason: '@nnphys/native is not installed (`npm i @nnphys/native`, needs a C compiler)' };
  }
  const kernels = mod.loadNative();
  return { kernels, reason: kernels ? null : mod.nativeUnavailableReason() };
}

/** The native kernels when installed, built and enabled; otherwise null. */
export function nativeKernels(): NativeKernels | null {
  if (!enabled) return null;
  if (loaded === undefined) loaded = load();
  return loaded.kernels;
}

/**
 * Turns the use of the native accelerator on or off for later kernel calls
 * (on by default when available; the environment variable NNPHYS_NATIVE=0
 * keeps it off). Benchmarks use this to measure both paths in one run.
 */
export function setNativeEnabled(on: boolean): void {
  enabled = on;
}

export function nativeStatus(): NativeStatus {
  if (loaded === undefined) loaded = load();
  const k = loaded.kernels;
  const info = k?.info();
  return { available: k !== null, enabled: enabled && k !== null, reason: loaded.reason, ...(info ? { kernel: info.kernel, threads: info.threads } : {}) };
}
