import * as tf from '@tensorflow/tfjs-core';
import { type KernelArgs, nativeKernels, withArrays } from '@nnphys/core';

/**
 * Rotary position embedding (RoPE, Su et al. 2021), the positional bias of the
 * 004 App. D.7 models. Feature pairs (i, i + d/2) of each head are rotated by
 * the angle p * base^(-2i/d) for a token at position p, so q_m . k_n depends on
 * the positions only through m - n. Tables are built in float64 on the host
 * and rounded once to float32.
 */
export function rotaryTables(positions: Int32Array | number[], batch: number, length: number, headDim: number, base: number): { cos: tf.Tensor4D; sin: tf.Tensor4D } {
  const half = headDim / 2;
  const cos = new Float32Array(batch * length * headDim);
  const sin = new Float32Array(batch * length * headDim);
  const inv = new Float64Array(half);
  for (let i = 0; i < half; i++) inv[i] = base ** ((-2 * i) / headDim);
  for (let r = 0; r < batch * length; r++) {
    const p = positions[r] as number;
    for (let i = 0; i < half; i++) {
      const angle = p * (inv[i] as number);
      const c = Math.cos(angle);
      const s = Math.sin(angle);
      cos[r * headDim + i] = c;
      cos[r * headDim + i + half] = c;
      sin[r * headDim + i] = s;
      sin[r * headDim + i + half] = s;
    }
  }
  // [B, 1, T, dh]: broadcast over heads.
  return { cos: tf.tensor4d(cos, [batch, 1, length, headDim]), sin: tf.tensor4d(sin, [batch, 1, length, headDim]) };
}

/** The rotation (or, with `transpose`, its transpose: the backward pass) as one kernel on @nnphys/native. */
const RotaryKernel = 'NnphysDiffusionRotary';
const registered = new Set<string>();

function ensureRotaryKernel(backendName: string): void {
  if (registered.has(backendName)) return;
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo => {
    const { x, cos, sin } = inputs as Record<string, tf.TensorInfo>;
    const [b, h, t, d] = (x as tf.TensorInfo).shape as [number, number, number, number];
    const rotate = nativeKernels()?.rotary;
    if (!rotate) throw new Error('rotary kernel: @nnphys/native was switched off between the forward and backward pass');
    const [out] = withArrays(backendName, backend, [x, cos, sin] as tf.TensorInfo[], [{ shape: [b, h, t, d], dtype: 'float32', overwritten: true }], ([xa, ca, sa], [ya]) => {
      rotate(xa as Float32Array, ca as Float32Array, sa as Float32Array, ya as Float32Array, b, h, t, d, attrs.transpose === true);
    });
    return out as tf.TensorInfo;
  };
  if (tf.getKernel(RotaryKernel, backendName) === undefined) tf.registerKernel({ kernelName: RotaryKernel, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc });
  registered.add(backendName);
}

/** The fused rotation when @nnphys/native offers it on cpu/wasm for float32 arrays of the usual shapes, else null. */
function fusedRotary(x: tf.Tensor4D, cos: tf.Tensor4D, sin: tf.Tensor4D): tf.Tensor4D | null {
  const backendName = tf.getBackend();
  const [b, , t, d] = x.shape;
  const tableShape = [b, 1, t, d];
  if ((backendName !== 'cpu' && backendName !== 'wasm') || !nativeKernels()?.rotary || x.dtype !== 'float32' || !cos.shape.every((n, i) => n === tableShape[i]) || !sin.shape.every((n, i) => n === tableShape[i])) {
    return null;
  }
  ensureRotaryKernel(backendName);
  const run = (v: tf.Tensor, c: tf.Tensor, s: tf.Tensor, transpose: boolean) => tf.engine().runKernel(RotaryKernel, { x: v, cos: c, sin: s }, { transpose }) as tf.Tensor4D;
  if (!tf.engine().isTapeOn()) return run(x, cos, sin, false);
  // The tables are constants of the forward pass: saved (tfjs keeps saved tensors), not differentiated.
  const op = tf.customGrad(((v: tf.Tensor, save: tf.GradSaveFunc) => {
    save([cos, sin]);
    return { value: run(v, cos, sin, false), gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => run(dy, saved[0] as tf.Tensor, saved[1] as tf.Tensor, true) };
  }) as unknown as Parameters<typeof tf.customGrad<tf.Tensor4D>>[0]);
  return op(x) as tf.Tensor4D;
}

/**
 * x * cos + rotateHalf(x) * sin for x [B, H, T, dh], rotateHalf(x1, x2) = (-x2, x1). With @nnphys/native: one
 * kernel forward and one (the transposed rotation) backward; the tables get no gradient there.
 */
export function applyRotary(x: tf.Tensor4D, cos: tf.Tensor4D, sin: tf.Tensor4D): tf.Tensor4D {
  const fused = fusedRotary(x, cos, sin);
  if (fused) return fused;
  return tf.tidy(() => {
    const half = (x.shape[3] as number) / 2;
    const [x1, x2] = tf.split(x, [half, half], 3) as [tf.Tensor4D, tf.Tensor4D];
    const rotated = tf.concat([tf.neg(x2), x1], 3);
    return tf.add(tf.mul(x, cos), tf.mul(rotated, sin)) as tf.Tensor4D;
  });
}
