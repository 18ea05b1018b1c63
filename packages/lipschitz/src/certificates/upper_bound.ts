import { NnphysError, assertOneOf } from '@nnphys/core';
import type { Bakeable } from '../export/exported_network.js';
import { type PlainNetwork, checkPlainNetwork } from '../export/plain_network.js';
import { type InputNorm, inputNorms } from '../norms/kinds.js';
import { type NormIndex, dualNorm, operatorNormBound, outputRow, vectorNorm } from '../norms/operator_norms.js';

export type CertifiableModel = Bakeable | PlainNetwork;

export interface LipschitzCertificate {
  /** Certified: |f_o(x) - f_o(y)| <= bound ||x - y||_p for every output o (exact arithmetic on the stored float32 weights). */
  bound: number;
  p: InputNorm;
  /** Bound of the layer stack alone (g for a monotonic network). */
  networkBound: number;
  /** For a monotonic network: a certified range of d f / d x_i (before the output map) per input. */
  partialDerivativeRange: Array<[number, number]> | null;
  /** For a monotonic network: which inputs are certified non-decreasing (1), non-increasing (-1) or neither (0). */
  certifiedMonotone: Array<1 | -1 | 0> | null;
  /** Lipschitz constant of the output map (1, or 1/4 for a sigmoid). */
  outputFactor: number;
}

const INF = Number.POSITIVE_INFINITY;

function toIndex(p: InputNorm): NormIndex {
  return p === 'inf' ? INF : p;
}

/** The model's baked weights as a plain network. */
export function bake(model: CertifiableModel, fn: string): PlainNetwork {
  if (model != null && typeof (model as Bakeable).toPlain === 'function') return (model as Bakeable).toPlain();
  if (model != null && Array.isArray((model as PlainNetwork).layers)) {
    checkPlainNetwork(model as PlainNetwork, fn);
    return model as PlainNetwork;
  }
  throw new NnphysError(`${fn}: model must be a LipschitzNetwork, MonotonicNetwork, ExportedNetwork or plain network`);
}

/**
 * Chain bound of the layer stack for input norm p (004 eq. 4.3 generalised):
 * the minimum over chains of intermediate norms q_l in {1, inf} of
 * prod_l ||W^l||_{q_{l-1} -> q_l}, each factor exact or an upper bound
 * (operatorNormBound), with per-output dual norms for the last layer. Every
 * chain is a valid bound (the activations are 1-Lipschitz in l_1 and l_inf),
 * so their minimum is too. Computed in float64 and rounded outwards.
 */
export function stackBound(plain: PlainNetwork, p: NormIndex): number {
  const spaces: NormIndex[] = [1, INF];
  let best = new Map<NormIndex, number>([[p, 1]]);
  const m = plain.layers.length;
  let terms = 0;
  for (let l = 0; l < m - 1; l++) {
    const layer = plain.layers[l] as PlainNetwork['layers'][number];
    terms += layer.inputs * layer.outputs;
    const next = new Map<NormIndex, number>();
    for (const b of spaces) {
      let v = INF;
      for (const [a, factor] of best) v = Math.min(v, factor * operatorNormBound(layer.weight, layer.inputs, layer.outputs, a, b));
      next.set(b, v);
    }
    best = next;
  }
  const last = plain.layers[m - 1] as PlainNetwork['layers'][number];
  terms += last.inputs * last.outputs;
  let bound = 0;
  for (let o = 0; o < last.outputs; o++) {
    const row = outputRow(last.weight, last.inputs, last.outputs, o);
    let v = INF;
    for (const [a, factor] of best) v = Math.min(v, factor * vectorNorm(row, dualNorm(a)));
    bound = Math.max(bound, v);
  }
  // Outward rounding for the float64 sums and products (relative error <= terms * 2^-53 each).
  return bound * (1 + (terms + 4 * m) * 2 ** -52);
}

/**
 * A certificate computed from the weights the model actually uses. For a
 * monotonic network f = g + r.x: Lip_p(f) <= Lip_p(g) + ||r||_{p*}, and
 * d f / d x_i is in [r_i - Lip_1(g), r_i + Lip_1(g)] (eq. 2.4).
 */
export function lipschitzCertificate(model: CertifiableModel, p?: InputNorm): LipschitzCertificate {
  const plain = bake(model, 'lipschitzCertificate');
  const norm = p ?? plain.norm;
  assertOneOf(norm, 'lipschitzCertificate: p', inputNorms);
  const pi = toIndex(norm);
  const networkBound = stackBound(plain, pi);
  const outputFactor = plain.outputActivation === 'sigmoid' ? 0.25 : 1;
  let bound = networkBound;
  let partialDerivativeRange: Array<[number, number]> | null = null;
  let certifiedMonotone: Array<1 | -1 | 0> | null = null;
  if (plain.residual) {
    const residual = Float64Array.from(plain.residual);
    bound = (networkBound + vectorNorm(residual, dualNorm(pi))) * (1 + 2 ** -52);
    const lip1 = norm === 1 ? networkBound : stackBound(plain, 1);
    partialDerivativeRange = Array.from(residual, (r) => [r - lip1, r + lip1] as [number, number]);
    certifiedMonotone = partialDerivativeRange.map(([lo, hi]) => (lo >= 0 && hi > 0 ? 1 : hi <= 0 && lo < 0 ? -1 : 0));
  }
  return { bound: bound * outputFactor, p: norm, networkBound, partialDerivativeRange, certifiedMonotone, outputFactor };
}

/**
 * Certified upper bound on the Lipschitz constant in the l_p input norm
 * (default: the norm the model was built for), from the constrained weights
 * the model actually uses (API: lipschitzUpperBound).
 */
export function lipschitzUpperBound(model: CertifiableModel, p?: InputNorm): number {
  return lipschitzCertificate(model, p).bound;
}
