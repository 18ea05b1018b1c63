import { NnphysError } from '@nnphys/core';

/**
 * Every conditional of one sequence x of D tokens: logp[S * D + tau] =
 * log p(x_tau | x_S) for each set S of visible positions (bit i of S set when
 * position i is visible) and each tau not in S (entries with tau in S are unused).
 */
export interface ConditionalTable {
  length: number;
  logp: Float64Array;
}

/** Largest D for which the 2^D conditionals are enumerated. */
export const MAX_ENUMERATION_LENGTH = 16;

export function assertTable(table: ConditionalTable, fn: string): void {
  const d = table?.length;
  if (!Number.isInteger(d) || d < 1 || d > MAX_ENUMERATION_LENGTH) throw new NnphysError(`${fn}: table.length must be an integer D in [1, ${MAX_ENUMERATION_LENGTH}], got ${String(d)}`);
  if (!(table.logp instanceof Float64Array) || table.logp.length !== (1 << d) * d) throw new NnphysError(`${fn}: table.logp must be a Float64Array of 2^D * D = ${(1 << d) * d} entries`);
}

export function popcount(s: number): number {
  let n = 0;
  for (let x = s; x; x &= x - 1) n++;
  return n;
}

/** Binomial coefficient C(n, k) in float64 (exact for the n <= 16 used here). */
export function binomial(n: number, k: number): number {
  if (k < 0 || k > n) return 0;
  let c = 1;
  for (let i = 1; i <= k; i++) c = (c * (n - k + i)) / i;
  return Math.round(c);
}

/**
 * The MLM-U loss of one sequence in closed form (004 eq. 7.5; spec §2.2):
 *   L(x) = sum_t E_sigma[-log p(x_sigma(t) | x_sigma(<t))]
 *        = sum_{S proper subset} 1 / (C(D, |S|) (D - |S|)) sum_{tau not in S} -log p(x_tau | x_S),
 * because sigma(<t) is a uniform subset of size t - 1 and sigma(t) is uniform
 * on its complement. This is also the PLM Jensen bound (eq. 7.4). Nats.
 */
export function mlmUFromTable(table: ConditionalTable): number {
  assertTable(table, 'mlmUFromTable');
  const d = table.length;
  const full = (1 << d) - 1;
  let total = 0;
  for (let s = 0; s < full; s++) {
    const j = popcount(s);
    let inner = 0;
    for (let tau = 0; tau < d; tau++) if (!(s & (1 << tau))) inner -= table.logp[s * d + tau] as number;
    total += inner / (binomial(d, j) * (d - j));
  }
  return total;
}

/** -log q_sigma(x) = -sum_t log p(x_sigma(t) | x_sigma(<t)) for one order sigma (a permutation of 0..D-1). */
export function orderNLLFromTable(table: ConditionalTable, order: readonly number[]): number {
  assertTable(table, 'orderNLLFromTable');
  const d = table.length;
  assertPermutation(order, d, 'orderNLLFromTable: order');
  let s = 0;
  let nll = 0;
  for (const tau of order) {
    nll -= table.logp[s * d + tau] as number;
    s |= 1 << tau;
  }
  return nll;
}

/**
 * -log E_sigma q_sigma(x): the NLL of the mixture over all D! orders (the
 * left-hand side of eq. 7.4; the distribution random-order generation
 * samples). Dynamic programming over subsets, g(S) = sum_{tau in S}
 * g(S \ tau) p(x_tau | x_{S \ tau}), in the log domain: O(2^D D), no D! loop.
 */
export function mixtureNLLFromTable(table: ConditionalTable): number {
  assertTable(table, 'mixtureNLLFromTable');
  const d = table.length;
  const size = 1 << d;
  const logG = new Float64Array(size).fill(Number.NEGATIVE_INFINITY);
  logG[0] = 0;
  for (let s = 1; s < size; s++) {
    let max = Number.NEGATIVE_INFINITY;
    const terms: number[] = [];
    for (let tau = 0; tau < d; tau++) {
      if (!(s & (1 << tau))) continue;
      const prev = s & ~(1 << tau);
      const v = (logG[prev] as number) + (table.logp[prev * d + tau] as number);
      terms.push(v);
      if (v > max) max = v;
    }
    if (max === Number.NEGATIVE_INFINITY) continue;
    let sum = 0;
    for (const v of terms) sum += Math.exp(v - max);
    logG[s] = max + Math.log(sum);
  }
  let logFactorial = 0;
  for (let i = 2; i <= d; i++) logFactorial += Math.log(i);
  return -((logG[size - 1] as number) - logFactorial);
}

export function assertPermutation(order: readonly number[], d: number, name: string): void {
  if (!Array.isArray(order) || order.length !== d) throw new NnphysError(`${name} must be a permutation of 0..${d - 1}, got ${Array.isArray(order) ? `length ${order.length}` : typeof order}`);
  const seen = new Set<number>();
  for (const v of order) {
    if (!Number.isInteger(v) || v < 0 || v >= d || seen.has(v)) throw new NnphysError(`${name} must be a permutation of 0..${d - 1}, got [${order.join(', ')}]`);
    seen.add(v);
  }
}
