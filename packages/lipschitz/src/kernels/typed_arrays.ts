import type { DataType, KernelBackend, TensorInfo } from '@tensorflow/tfjs-core';

/**
 * Typed-array access to tensor data for this package's JS kernels.
 *
 * Workaround: @nnphys/core has the same adapter (kernels/arrays.ts, `withArrays`)
 * but does not export it, and deep imports across packages are not allowed, so
 * this is a small local copy of the idea (reported to core).
 * - cpu keeps a typed array per tensor: read it in place, hand new arrays back;
 * - wasm keeps tensors in its heap: allocate outputs first (allocation may grow
 *   the heap and detach earlier views), then take views of inputs and outputs;
 * - any other backend: read back synchronously and upload the results.
 */
export type NumericArray = Float32Array | Int32Array;

export interface OutputSpec {
  shape: number[];
  dtype: 'float32' | 'int32';
}

type Backend = KernelBackend & Record<string, unknown>;

function sizeOf(shape: number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

function newArray(dtype: DataType, size: number): NumericArray {
  return dtype === 'int32' ? new Int32Array(size) : new Float32Array(size);
}

/** Runs `body(inputs, outputs)` on typed arrays (outputs zero-filled) and returns the output tensor infos. */
export function withTypedArrays(
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
    const outs = infos.map((t) => {
      const a = fromHeap.call(b, t);
      a.fill(0); // malloc does not zero
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

/** The arguments tfjs passes to a kernel function. */
export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: KernelBackend;
  attrs: Record<string, unknown>;
}
