import { NnphysError, assertMatrix } from '@nnphys/core';
import type { InputNorm } from '../norms/kinds.js';

/** Activation between two layers of a plain network. */
export type PlainActivation = { type: 'groupsort'; groupSize: number } | { type: 'relu' };
/** Monotone map applied after the residual (MonotonicNetworks #9). */
export type OutputActivation = 'identity' | 'sigmoid' | 'relu';
export const outputActivations: readonly OutputActivation[] = ['identity', 'sigmoid', 'relu'];

export interface PlainLayer {
  inputs: number;
  outputs: number;
  /** The constrained ("baked") weight in tfjs layout [inputs, outputs], row-major. */
  weight: Float32Array;
  bias: Float32Array | null;
}

/**
 * A trained Lipschitz or monotonic network with its constraints baked into
 * plain weights: f(x) = out(z^m + x . residual), z^l = W^l act(z^{l-1}) + b^l.
 * This is what inference needs (Algorithm 1: "at inference time, only w-hat
 * is used"), what certificates are computed from, and what `ExportedNetwork`
 * turns back into a tfjs module.
 */
export interface PlainNetwork {
  layers: PlainLayer[];
  /** One activation between each pair of consecutive layers (length layers - 1). */
  activations: PlainActivation[];
  /** The monotonic residual lambda c (length inputs), or null. */
  residual: Float32Array | null;
  outputActivation: OutputActivation;
  /** The input norm the network is certified in. */
  norm: InputNorm;
  /** The lambda it was built with (informational). */
  lipschitz: number;
}

function sortAscending(v: Float64Array, start: number, end: number): void {
  const part = Array.from(v.subarray(start, end)).sort((a, b) => a - b);
  for (let i = start; i < end; i++) v[i] = part[i - start] as number;
}

/** Forward pass in float64 (JS numbers) on rows of x: the exact-arithmetic reference for certificates and fuzzing. */
export function evaluatePlain(net: PlainNetwork, x: ArrayLike<number>[]): Float64Array[] {
  const inputs = (net.layers[0] as PlainLayer).inputs;
  assertMatrix(x, 'evaluatePlain: x', { cols: inputs });
  return x.map((row) => evaluateRow(net, row));
}

export function evaluateRow(net: PlainNetwork, row: ArrayLike<number>): Float64Array {
  let h = Float64Array.from(row);
  const x = h;
  for (const [l, layer] of net.layers.entries()) {
    const z = new Float64Array(layer.outputs);
    const w = layer.weight;
    for (let i = 0; i < layer.inputs; i++) {
      const hi = h[i] as number;
      if (hi === 0) continue;
      const o = i * layer.outputs;
      for (let j = 0; j < layer.outputs; j++) z[j] = (z[j] as number) + (w[o + j] as number) * hi;
    }
    if (layer.bias) for (let j = 0; j < layer.outputs; j++) z[j] = (z[j] as number) + (layer.bias[j] as number);
    const act = net.activations[l];
    if (act) {
      if (act.type === 'relu') for (let j = 0; j < z.length; j++) z[j] = Math.max(0, z[j] as number);
      else for (let g = 0; g < z.length; g += act.groupSize) sortAscending(z, g, g + act.groupSize);
    }
    h = z;
  }
  if (net.residual) {
    let r = 0;
    for (let i = 0; i < x.length; i++) r += (x[i] as number) * (net.residual[i] as number);
    for (let j = 0; j < h.length; j++) h[j] = (h[j] as number) + r;
  }
  if (net.outputActivation === 'sigmoid') for (let j = 0; j < h.length; j++) h[j] = 1 / (1 + Math.exp(-(h[j] as number)));
  else if (net.outputActivation === 'relu') for (let j = 0; j < h.length; j++) h[j] = Math.max(0, h[j] as number);
  return h;
}

/** Checks the structure of a plain network (shapes chain, activations fit the widths). */
export function checkPlainNetwork(net: PlainNetwork, fn: string): void {
  if (net == null || !Array.isArray(net.layers) || net.layers.length === 0) throw new NnphysError(`${fn}: expected a plain network with at least one layer`);
  if (!Array.isArray(net.activations) || net.activations.length !== net.layers.length - 1) {
    throw new NnphysError(`${fn}: expected ${net.layers.length - 1} activations between ${net.layers.length} layers, got ${net.activations?.length}`);
  }
  for (const [l, layer] of net.layers.entries()) {
    if (layer.weight.length !== layer.inputs * layer.outputs) throw new NnphysError(`${fn}: layers[${l}].weight has ${layer.weight.length} entries, expected ${layer.inputs} x ${layer.outputs}`);
    if (layer.bias && layer.bias.length !== layer.outputs) throw new NnphysError(`${fn}: layers[${l}].bias has ${layer.bias.length} entries, expected ${layer.outputs}`);
    if (l > 0 && layer.inputs !== (net.layers[l - 1] as PlainLayer).outputs) {
      throw new NnphysError(`${fn}: layers[${l}] takes ${layer.inputs} inputs but layers[${l - 1}] gives ${(net.layers[l - 1] as PlainLayer).outputs}`);
    }
    const act = net.activations[l];
    if (act?.type === 'groupsort' && layer.outputs % act.groupSize !== 0) throw new NnphysError(`${fn}: activations[${l}] group size ${act.groupSize} does not divide width ${layer.outputs}`);
  }
  const inputs = (net.layers[0] as PlainLayer).inputs;
  if (net.residual && net.residual.length !== inputs) throw new NnphysError(`${fn}: residual has length ${net.residual.length}, expected ${inputs}`);
}
