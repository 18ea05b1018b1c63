// What the page reports about a trained model: the certified Lipschitz bound and monotonicity violations on a grid.
import { MonotonicNetwork, lipschitzCertificate } from '@nnphys/lipschitz';

/** The certificate from the weights the model uses (lipschitz README), or null for a model without one (the MLP). */
export function certify(model) {
  if (!(model instanceof MonotonicNetwork)) return null;
  const { bound, networkBound, partialDerivativeRange } = lipschitzCertificate(model);
  return { bound, networkBound, slope: partialDerivativeRange[0] };
}

/**
 * Steps of the grid where the curve goes down by more than float32 rounding
 * (1e-6 · (1 + |y|)): 0 for a non-decreasing fit.
 */
export function decreasingSteps(ys) {
  let count = 0;
  for (let i = 1; i < ys.length; i++) {
    if (ys[i] < ys[i - 1] - 1e-6 * (1 + Math.abs(ys[i]) + Math.abs(ys[i - 1]))) count++;
  }
  return count;
}
