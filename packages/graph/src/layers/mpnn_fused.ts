import * as tf from '@tensorflow/tfjs-core';
import { type KernelArgs, type NativeKernels, NnphysError, nativeKernels, withArrays } from '@nnphys/core';

/**
 * MPNNConv (000 eq. 5.9 with bond features; see mpnn_conv.ts) as one forward and one backward kernel, for the
 * configuration GraphEncoder builds: sum aggregation, ReLU inside ψ and φ, unit weight scales, and a tail of
 * an optional ReLU and an optional identity residual. The layer-wise version runs ~130 tfjs kernels per layer and
 * step at a few microseconds of engine overhead each; here the products run on @nnphys/native's SGEMM and the
 * gathers, segment sums and masks in typed-array loops, inside two kernels.
 *
 * Forward (N nodes, E edges; F = H = O allowed to differ except for the residual):
 *   S = h Ws + bs,  R = h Wr,  pre_e = S[snd_e] + R[rcv_e] + (x_e We),  a = relu(pre)
 *   P = Σ_{e -> v} a_e,  msg = P (Wo Um) + deg(v) (bo Um)                (ψ's last layer commutes with Σ)
 *   u = h Un + bn + msg,  g = relu(u),  o = g Wu + bu,  y = tailAct(o) + [residual] h
 * Backward: the chain rule through the same steps (written out in `backward`).
 * Sums over edges and nodes keep core's order (segment sums in edge order, float64 accumulation in the native
 * row kernels), so the result matches the layer-wise path to float32 rounding of the products.
 */
export const MPNNForward = 'NnphysMPNNForward';
export const MPNNBackward = 'NnphysMPNNBackward';

/** Input order of both kernels' weights. */
export const weightNames = ['ws', 'bs', 'wr', 'we', 'wo', 'bo', 'un', 'bn', 'um', 'wu', 'bu'] as const;
type WeightName = (typeof weightNames)[number];

export interface FusedMPNNAttrs {
  /** ReLU on the layer's output before the residual. */
  tailRelu: boolean;
  /** Add the input node states (identity residual). */
  residual: boolean;
  [key: string]: boolean;
}

type Required<K extends keyof NativeKernels> = { [P in K]-?: NonNullable<NativeKernels[P]> };
type Native = NativeKernels & Required<'gatherRows' | 'segmentSum' | 'columnSums' | 'gatherAddRelu' | 'affineRelu' | 'reluMask' | 'reluAdd'>;

/** The native kernels the fused path needs, or null (then MPNNConv runs layer-wise). */
export function fusedMPNNNative(): Native | null {
  const n = nativeKernels();
  return n?.gatherRows && n.segmentSum && n.columnSums && n.gatherAddRelu && n.affineRelu && n.reluMask && n.reluAdd ? (n as Native) : null;
}

function native(): Native {
  const n = fusedMPNNNative();
  if (!n) throw new NnphysError('MPNNConv: the fused kernels need @nnphys/native (gatherRows, segmentSum, columnSums)');
  return n;
}

/** C = op(A) op(B) (C += ... with `add`) with A [m, k] (or [k, m] transposed) and B [k, n] (or [n, k]). */
function mm(k: Native, a: Float32Array, b: Float32Array, c: Float32Array, m: number, kk: number, n: number, ta = false, tb = false, add = false): void {
  k.sgemm(1, m, n, kk, a, 0, 0, ta ? 1 : kk, ta ? m : 1, b, 0, 0, tb ? 1 : n, tb ? kk : 1, c, 0, 0, add);
}

/** The cpu backend may hold values in other array types (e.g. empty tensors); the addon takes typed arrays. */
function typed(arrays: ArrayLike<number>[]): (Float32Array | Int32Array)[] {
  return arrays.map((a) => (a instanceof Float32Array || a instanceof Int32Array ? a : Float32Array.from(a)));
}

function checkIds(ids: Int32Array, n: number, name: string): void {
  for (let e = 0; e < ids.length; e++) {
    const v = ids[e] as number;
    if (!(v >= 0 && v < n)) throw new NnphysError(`MPNNConv: ${name}[${e}] = ${v} is out of range: expected a node index in [0, ${n - 1}]`);
  }
}

interface Shapes {
  N: number;
  E: number;
  F: number;
  H: number;
  O: number;
  D: number;
}

function shapesOf(h: tf.TensorInfo, snd: tf.TensorInfo, edges: tf.TensorInfo, ws: tf.TensorInfo, wo: tf.TensorInfo): Shapes {
  return { N: h.shape[0] as number, F: h.shape[1] as number, E: snd.shape[0] as number, D: edges.shape[1] as number, H: ws.shape[1] as number, O: wo.shape[1] as number };
}

function forwardKernel(backendName: string): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] => {
    const k = native();
    const { h, senders, receivers, edges } = inputs as Record<string, tf.TensorInfo>;
    const w = weightNames.map((n) => inputs[n] as tf.TensorInfo);
    const { tailRelu, residual } = attrs as unknown as FusedMPNNAttrs;
    const s = shapesOf(h as tf.TensorInfo, senders as tf.TensorInfo, edges as tf.TensorInfo, w[0] as tf.TensorInfo, w[4] as tf.TensorInfo);
    const { N, E, F, H, O, D } = s;
    // Outputs: y, and what the backward needs: a = relu(pre) [E,H], P [N,H], g [N,H], o [N,O], deg [N].
    const outputs = [
      { shape: [N, O], dtype: 'float32' as const, overwritten: true },
      { shape: [E, H], dtype: 'float32' as const, overwritten: true },
      { shape: [N, H], dtype: 'float32' as const, overwritten: true },
      { shape: [N, H], dtype: 'float32' as const, overwritten: true },
      { shape: [N, O], dtype: 'float32' as const, overwritten: true },
      { shape: [N], dtype: 'float32' as const },
    ];
    return withArrays(backendName, backend, [h, senders, receivers, edges, ...w] as tf.TensorInfo[], outputs, (raw, outs) => {
      const ins = typed(raw);
      const [hx, sndA, rcvA, ex, ws, bs, wr, we, wo, bo, un, bn, um, wu, bu] = ins as Float32Array[];
      const snd = sndA as unknown as Int32Array;
      const rcv = rcvA as unknown as Int32Array;
      checkIds(snd, N, 'senders');
      checkIds(rcv, N, 'receivers');
      const [y, a, P, g, o, deg] = outs as Float32Array[];
      // Node-side products of ψ's first layer, then per edge.
      const S = new Float32Array(N * H);
      const R = new Float32Array(N * H);
      mm(k, hx as Float32Array, ws as Float32Array, S, N, F, H);
      k.affineRelu(S, bs as Float32Array, null, null, H, false);
      mm(k, hx as Float32Array, wr as Float32Array, R, N, F, H);
      const pre = a as Float32Array;
      if (D > 0) mm(k, ex as Float32Array, we as Float32Array, pre, E, D, H);
      else pre.fill(0);
      k.gatherAddRelu(pre, S, snd, R, rcv, H); // a = relu(x We + S[snd] + R[rcv])
      k.segmentSum(pre, rcv, P as Float32Array, H, N);
      for (let e = 0; e < E; e++) (deg as Float32Array)[rcv[e] as number] += 1;
      // msg = P (Wo Um) + deg (bo Um)
      const woum = new Float32Array(H * H);
      mm(k, wo as Float32Array, um as Float32Array, woum, H, O, H);
      const boum = new Float32Array(H);
      mm(k, bo as Float32Array, um as Float32Array, boum, 1, O, H);
      const u = g as Float32Array;
      mm(k, P as Float32Array, woum, u, N, H, H);
      mm(k, hx as Float32Array, un as Float32Array, u, N, F, H, false, false, true);
      k.affineRelu(u, bn as Float32Array, deg as Float32Array, boum, H, true); // g = relu(u + bn + deg (bo Um))
      mm(k, g as Float32Array, wu as Float32Array, o as Float32Array, N, H, O);
      k.affineRelu(o as Float32Array, bu as Float32Array, null, null, O, false);
      k.reluAdd(y as Float32Array, o as Float32Array, residual ? (hx as Float32Array) : null, tailRelu);
    });
  };
  return { kernelName: MPNNForward, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

function backwardKernel(backendName: string): tf.KernelConfig {
  const kernelFunc = ({ inputs, backend, attrs }: KernelArgs): tf.TensorInfo[] => {
    const k = native();
    const { dy, h, senders, receivers, edges, a, P, g, o, deg } = inputs as Record<string, tf.TensorInfo>;
    const w = weightNames.map((n) => inputs[n] as tf.TensorInfo);
    const { tailRelu, residual } = attrs as unknown as FusedMPNNAttrs;
    const { N, E, F, H, O, D } = shapesOf(h as tf.TensorInfo, senders as tf.TensorInfo, edges as tf.TensorInfo, w[0] as tf.TensorInfo, w[4] as tf.TensorInfo);
    // Gradients for h, edges and each weight, in that order.
    const outShapes = [h, edges, ...w].map((t) => ({ shape: (t as tf.TensorInfo).shape, dtype: 'float32' as const, overwritten: true }));
    const ins = [dy, h, senders, receivers, edges, a, P, g, o, deg, ...w] as tf.TensorInfo[];
    return withArrays(backendName, backend, ins, outShapes, (raw, outs) => {
      const arrays = typed(raw);
      const [dyA, hx, sndA, rcvA, ex, aA, PA, gA, oA, degA, ws, , wr, we, wo, bo, un, , um, wu] = arrays as Float32Array[];
      const snd = sndA as unknown as Int32Array;
      const rcv = rcvA as unknown as Int32Array;
      const [dh, dEdges, dWs, dbs, dWr, dWe, dWo, dbo, dUn, dbn, dUm, dWu, dbu] = outs as Float32Array[];
      // Tail: y = act(o) + [residual] h.
      const dO = Float32Array.from(dyA as Float32Array);
      if (tailRelu) k.reluMask(dO, oA as Float32Array);
      // o = g Wu + bu
      mm(k, gA as Float32Array, dO, dWu as Float32Array, H, N, O, true);
      k.columnSums(dO, N, O, dbu as Float32Array);
      const dU = new Float32Array(N * H);
      mm(k, dO, wu as Float32Array, dU, N, O, H, false, true);
      // g = relu(u)
      k.reluMask(dU, gA as Float32Array);
      // u = h Un + bn + P (Wo Um) + deg (bo Um)
      mm(k, hx as Float32Array, dU, dUn as Float32Array, F, N, H, true);
      k.columnSums(dU, N, H, dbn as Float32Array);
      const dWoUm = new Float32Array(H * H);
      mm(k, PA as Float32Array, dU, dWoUm, H, N, H, true);
      const dBoUm = new Float32Array(H);
      mm(k, degA as Float32Array, dU, dBoUm, 1, N, H);
      // WoUm = Wo Um and boUm = bo Um
      mm(k, dWoUm, um as Float32Array, dWo as Float32Array, H, H, O, false, true);
      mm(k, wo as Float32Array, dWoUm, dUm as Float32Array, O, H, H, true);
      const dUmBias = dUm as Float32Array;
      for (let i = 0; i < O; i++) for (let j = 0; j < H; j++) dUmBias[i * H + j] += (bo as Float32Array)[i]! * (dBoUm[j] as number);
      mm(k, dBoUm, um as Float32Array, dbo as Float32Array, 1, H, O, false, true);
      const woum = new Float32Array(H * H);
      mm(k, wo as Float32Array, um as Float32Array, woum, H, O, H);
      const dP = new Float32Array(N * H);
      mm(k, dU, woum, dP, N, H, H, false, true);
      // P = Σ_{e -> v} a_e and a = relu(pre): dPre = dP[rcv] where a > 0
      const dPre = new Float32Array(E * H);
      k.gatherRows(dP, H, rcv, dPre);
      k.reluMask(dPre, aA as Float32Array);
      // pre = S[snd] + R[rcv] + x We
      if (D > 0) {
        mm(k, ex as Float32Array, dPre, dWe as Float32Array, D, E, H, true);
        mm(k, dPre, we as Float32Array, dEdges as Float32Array, E, H, D, false, true);
      }
      const dS = new Float32Array(N * H);
      const dR = new Float32Array(N * H);
      k.segmentSum(dPre, snd, dS, H, N);
      k.segmentSum(dPre, rcv, dR, H, N);
      mm(k, hx as Float32Array, dS, dWs as Float32Array, F, N, H, true);
      k.columnSums(dS, N, H, dbs as Float32Array);
      mm(k, hx as Float32Array, dR, dWr as Float32Array, F, N, H, true);
      // dh = dS Ws^T + dR Wr^T + dU Un^T + [residual] dy
      const dhA = dh as Float32Array;
      if (residual) dhA.set(dyA as Float32Array);
      mm(k, dS, ws as Float32Array, dhA, N, H, F, false, true, residual);
      mm(k, dR, wr as Float32Array, dhA, N, H, F, false, true, true);
      mm(k, dU, un as Float32Array, dhA, N, H, F, false, true, true);
    });
  };
  return { kernelName: MPNNBackward, backendName, kernelFunc: kernelFunc as unknown as tf.KernelFunc };
}

const registered = new Set<string>();

function ensureRegistered(backendName: string): void {
  if (registered.has(backendName)) return;
  for (const config of [forwardKernel(backendName), backwardKernel(backendName)]) {
    if (tf.getKernel(config.kernelName, backendName) === undefined) tf.registerKernel(config);
  }
  registered.add(backendName);
}

/**
 * y = MPNNConv(h) through the fused kernels, differentiable with respect to h, the edge features and every
 * weight (senders and receivers get zero gradients). `weights` in `weightNames` order.
 */
export function fusedMPNN(h: tf.Tensor2D, senders: tf.Tensor1D, receivers: tf.Tensor1D, edges: tf.Tensor2D, weights: Record<WeightName, tf.Tensor>, attrs: FusedMPNNAttrs): tf.Tensor2D {
  const backendName = tf.getBackend();
  ensureRegistered(backendName);
  const ws = weightNames.map((n) => weights[n]);
  if (!tf.engine().isTapeOn()) {
    // Inference (no gradient being recorded): no custom-gradient wrapper; the saved intermediates are dropped.
    const named: Record<string, tf.Tensor> = { h, senders, receivers, edges };
    weightNames.forEach((n, i) => {
      named[n] = ws[i] as tf.Tensor;
    });
    const [y, ...saved] = tf.engine().runKernel(MPNNForward, named, attrs) as tf.Tensor[];
    tf.dispose(saved);
    return y as tf.Tensor2D;
  }
  const op = tf.customGrad((...args: unknown[]) => {
    const save = args.pop() as (tensors: tf.Tensor[]) => void;
    const [hh, snd, rcv, ex, ...wt] = args as tf.Tensor[];
    const named: Record<string, tf.Tensor> = { h: hh as tf.Tensor, senders: snd as tf.Tensor, receivers: rcv as tf.Tensor, edges: ex as tf.Tensor };
    weightNames.forEach((n, i) => {
      named[n] = wt[i] as tf.Tensor;
    });
    const [y, a, P, g, o, deg] = tf.engine().runKernel(MPNNForward, named, attrs) as tf.Tensor[];
    // The inputs are saved too: a caller's temporaries (zero biases, say) are gone by the time gradients run.
    const inputNames = Object.keys(named);
    save([a, P, g, o, deg, ...inputNames.map((n) => named[n])] as tf.Tensor[]);
    return {
      value: y as tf.Tensor,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [sa, sP, sg, so, sdeg, ...savedInputs] = saved;
        const kept: tf.NamedTensorMap = { dy, a: sa as tf.Tensor, P: sP as tf.Tensor, g: sg as tf.Tensor, o: so as tf.Tensor, deg: sdeg as tf.Tensor };
        inputNames.forEach((n, i) => {
          kept[n] = savedInputs[i] as tf.Tensor;
        });
        const grads = tf.engine().runKernel(MPNNBackward, kept, attrs) as tf.Tensor[];
        const [dh, dEdges, ...dw] = grads;
        return [dh, tf.zerosLike(kept.senders as tf.Tensor), tf.zerosLike(kept.receivers as tf.Tensor), dEdges, ...dw] as tf.Tensor[];
      },
    };
  });
  return op(h, senders, receivers, edges, ...(ws as tf.Tensor[])) as tf.Tensor2D;
}
