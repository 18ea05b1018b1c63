import { NnphysError, assertPositiveNumber } from '@nnphys/core';

/**
 * How the loss is normalised, which fixes the time scale of the dynamics:
 * - 'mean': L = (1/N) sum_i l(f(x_i), y_i)  ->  eta~ = eta / N (neural-tangents' convention);
 * - 'sum':  L = sum_i l(f(x_i), y_i)        ->  eta~ = eta (the slide formula of 001,
 *   "Mean prediction from NTK", which absorbs 1/N into eta).
 * With l = (f - y)^2 / 2 and gradient flow on theta, df/dt = -eta~ Theta (f - y) (spec ntk §2.2).
 */
export type LossReduction = 'mean' | 'sum';

export function effectiveRate(label: string, learningRate: unknown, reduction: unknown, n: number): number {
  assertPositiveNumber(learningRate, `${label}: learningRate`);
  const r = reduction ?? 'mean';
  if (r !== 'mean' && r !== 'sum') throw new NnphysError(`${label}: lossReduction must be 'mean' or 'sum', got ${JSON.stringify(r)}`);
  return r === 'mean' ? learningRate / n : learningRate;
}
