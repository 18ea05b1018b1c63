/**
 * The weight-norm kinds of 004 §2.2 / §4.2 (names as in MonotonicNetworks).
 * With W in R^{out x in} (y = W x) and the tfjs kernel K = W^T stored as
 * [inputs, outputs]:
 * - 'one':     ||W||_{1->1}   = max over inputs k of sum_j |W_jk|   (a slice per input: a row of K)
 * - 'inf':     ||W||_{inf->inf} = max over outputs j of sum_k |W_jk| (a slice per output: a column of K)
 * - 'one-inf': ||W||_{1->inf} = max_jk |W_jk|                     (a slice per element)
 * - 'two-inf': ||W||_{2->inf} = max over outputs j of ||W_j,:||_2  (a slice per output)
 */
export type NormKind = 'one' | 'inf' | 'one-inf' | 'two-inf';
export const normKinds: readonly NormKind[] = ['one', 'inf', 'one-inf', 'two-inf'];

/**
 * How a weight matrix is brought into the ball of radius c (its budget):
 * - 'vectorwise' (default): every slice of the kind is divided by max(1, norm/c) (generalised eq. 2.8);
 * - 'matrix': the whole matrix is divided by max(1, ||W||/c) (eq. 2.7, second form);
 * - 'matrix-scaled': W' = c W / max(1, ||W||) (eq. 2.7, first form; not a projection).
 */
export type Normalization = 'vectorwise' | 'matrix' | 'matrix-scaled';
export const normalizations: readonly Normalization[] = ['vectorwise', 'matrix', 'matrix-scaled'];

/** How the constraint is enforced during training: through the forward pass (Algorithm 1) or by projection after each step. */
export type ConstraintMode = 'reparam' | 'project';
export const constraintModes: readonly ConstraintMode[] = ['reparam', 'project'];

/** Input norm of a Lipschitz network: |f(x) - f(y)| <= lambda ||x - y||_p. */
export type InputNorm = 1 | 2 | 'inf';
export const inputNorms: readonly InputNorm[] = [1, 2, 'inf'];

/** Length of one slice of a kind, for an [inputs, outputs] kernel. */
export function sliceLength(kind: NormKind, inputs: number, outputs: number): number {
  switch (kind) {
    case 'one':
      return outputs;
    case 'inf':
    case 'two-inf':
      return inputs;
    case 'one-inf':
      return 1;
  }
}

/**
 * The radius actually targeted by the normalisation: c (1 - (n + 4) 2^-23),
 * with n the slice length. The kernels accumulate in float64, so the stored
 * float32 weights carry one rounding (relative 2^-24) each; the margin is
 * chosen large enough to also cover a float32 accumulation of n terms, so the
 * exact norm of the stored weights is <= c and certificates computed from
 * them stay <= lambda.
 */
export function effectiveBudget(maxNorm: number, kind: NormKind, inputs: number, outputs: number): number {
  const n = sliceLength(kind, inputs, outputs);
  return maxNorm * (1 - (n + 4) * 2 ** -23);
}
