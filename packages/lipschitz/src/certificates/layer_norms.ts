import { kindNorm, operatorNormBound, spectralNorm } from '../norms/operator_norms.js';
import { type CertifiableModel, bake } from './upper_bound.js';

export interface LayerNormReport {
  inputs: number;
  outputs: number;
  /** ||W||_{1->1}: largest absolute sum over outputs, per input. */
  one: number;
  /** ||W||_{inf->inf}: largest absolute sum over inputs, per output. */
  inf: number;
  /** ||W||_{1->inf}: largest |W_jk|. */
  oneInf: number;
  /** ||W||_{2->inf}: largest l2 norm of an output row. */
  twoInf: number;
  /** ||W||_{2->2} by power iteration (an estimate, for monitoring; deel-lip's compute_layer_sv). */
  spectral: number;
}

/** Operator norms of every baked layer (float64 from the stored weights). */
export function layerNorms(model: CertifiableModel): LayerNormReport[] {
  const plain = bake(model, 'layerNorms');
  return plain.layers.map((l) => ({
    inputs: l.inputs,
    outputs: l.outputs,
    one: kindNorm(l.weight, l.inputs, l.outputs, 'one'),
    inf: kindNorm(l.weight, l.inputs, l.outputs, 'inf'),
    oneInf: operatorNormBound(l.weight, l.inputs, l.outputs, 1, Number.POSITIVE_INFINITY),
    twoInf: kindNorm(l.weight, l.inputs, l.outputs, 'two-inf'),
    spectral: spectralNorm(l.weight, l.inputs, l.outputs),
  }));
}
