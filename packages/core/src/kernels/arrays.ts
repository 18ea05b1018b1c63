import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Typed-array access to tensor data for our JS kernels, per backend:
 * - cpu keeps a typed array per tensor: read it in place, hand new arrays back;
 * - wasm keeps tensors in its heap: allocate outputs first (allocation may grow
 *   the heap and detach earlier views), then take views of inputs and outputs;
 * - any other backend (webgl, tensorflow): read back synchronously, upload.
 * Each kernel body is written once against this interface.
 */
export type NumericArray = Float32Array | Int32Array | Uint8Array;

export interface OutputSpec {
  shape: number[];
  dtype: DataType;
  /** Set when the kernel writes every element, so the zero-fill can be skipped (wasm's malloc does not zero). */
  overwritten?: boolean;
}

type Backend = KernelBackend & Record<string, unknown>;

function sizeOf(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function newArray(dtype: DataType, size: number): NumericArray {
  if (dtype === 'float32') return new Float32Array(size);
  if (dtype === 'int32') return new Int32Array(size);
  if (dtype === 'bool') return new Uint8Array(size);
  throw new Error(`nnphys kernels do not support dtype ${dtype}`);
}

/**
 * Runs `body(inputs, outputs)` on typed arrays and returns the output tensor
 * infos. Output arrays start zero-filled unless marked `overwritten`.
 */
export function withArrays(
  backendName: string,
  backend: KernelBackend,
  inputs: TensorInfo[],
  outputs: OutputSpec[],
  body: (ins: NumericArray[], outs: NumericArray[]) => void,
): TensorInfo[] {
  const b = backend as Backend;
  if (backendName === 'wasm') {
    const makeOutput = b.makeOutput as (shape: number[], dtype: DataType) => TensorInfo;
    const fromHeap = b.typedArrayFromHeap as (t: TensorInfo) => NumericArray;
    const infos = outputs.map((o) => makeOutput.call(b, o.shape, o.dtype));
    const ins = inputs.map((t) => fromHeap.call(b, t));
    const outs = infos.map((t, i) => {
      const a = fromHeap.call(b, t);
      if (!outputs[i]?.overwritten) a.fill(0); // malloc does not zero
      return a;
    });
    body(ins, outs);
    return infos;
  }
  if (backendName === 'cpu') {
    const data = b.data as { get(id: unknown): { values: NumericArray } };
    const ins = inputs.map((t) => data.get(t.dataId).values);
    const outs = outputs.map((o) => newArray(o.dtype, sizeOf(o.shape)));
    body(ins, outs);
    const make = b.makeTensorInfo as (shape: number[], dtype: DataType, values: NumericArray) => TensorInfo;
    return outputs.map((o, i) => make.call(b, o.shape, o.dtype, outs[i] as NumericArray));
  }
  const ins = inputs.map((t) => backend.readSync(t.dataId) as NumericArray);
  const outs = outputs.map((o) => newArray(o.dtype, sizeOf(o.shape)));
  body(ins, outs);
  return outputs.map((o, i) => ({ dataId: backend.write(outs[i] as NumericArray, o.shape, o.dtype), shape: o.shape, dtype: o.dtype }));
}

/** Row width of a tensor viewed as [shape[0], rest]. */
export function rowSize(shape: number[]): number {
  let f = 1;
  for (let i = 1; i < shape.length; i++) f *= shape[i] as number;
  return f;
}

/** Reads a small int32 tensor (indices) as a typed array, for validation before allocating outputs. */
export function readIndices(backendName: string, backend: KernelBackend, t: TensorInfo): Int32Array {
  const b = backend as Backend;
  if (backendName === 'wasm') return (b.typedArrayFromHeap as (t: TensorInfo) => Int32Array).call(b, t);
  if (backendName === 'cpu') return (b.data as { get(id: unknown): { values: Int32Array } }).get(t.dataId).values;
  return backend.readSync(t.dataId) as Int32Array;
}

/** The arguments tfjs passes to a kernel function, typed for our kernels. */
export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: KernelBackend;
  attrs: Record<string, unknown>;
}
