import { NnphysError, assertPositiveNumber } from '@nnphys/core';
import type { InputNorm, NormKind } from '../norms/kinds.js';

/**
 * Which norm kinds a chain of m layers uses (004 §2.2.2 and §4.2):
 * - 'chapter4' (default, eq. 4.3): ||W^1||_{p->inf} <= c_1 then ||W^l||_{inf->inf} <= c_l;
 *   Lip^1: one-inf, inf, ...; Lip^2: two-inf, inf, ...; Lip^inf: inf, inf, ...
 * - 'chapter2' (eq. 2.6, the LHCb model): ||W^l||_{1->1} <= c_l on every layer; Lip^1 only.
 */
export type ChainScheme = 'chapter4' | 'chapter2';
export const chainSchemes: readonly ChainScheme[] = ['chapter4', 'chapter2'];

type Space = 1 | 2 | 'inf';

/** The (domain, codomain) norms a kind bounds. */
const KIND_MAP: Record<NormKind, [Space, Space]> = {
  one: [1, 1],
  inf: ['inf', 'inf'],
  'one-inf': [1, 'inf'],
  'two-inf': [2, 'inf'],
};

export function chainKinds(norm: InputNorm, layers: number, scheme: ChainScheme, fn: string): NormKind[] {
  if (scheme === 'chapter2') {
    if (norm !== 1) throw new NnphysError(`${fn}: scheme 'chapter2' (||W||_1 on every layer, eq. 2.6) certifies Lip^1 only, got norm ${JSON.stringify(norm)}`);
    return Array.from({ length: layers }, () => 'one' as const);
  }
  const first: NormKind = norm === 1 ? 'one-inf' : norm === 2 ? 'two-inf' : 'inf';
  return Array.from({ length: layers }, (_, i) => (i === 0 ? first : 'inf'));
}

/**
 * Checks that user-given kinds form a certified chain for input norm p: the
 * first layer's domain is p, and every layer's domain is the previous
 * layer's codomain (GroupSort and ReLU are 1-Lipschitz in l_1 and l_inf).
 * Any codomain bounds each output coordinate, so the last layer is free.
 */
export function checkChain(kinds: NormKind[], norm: InputNorm, fn: string): void {
  let space: Space = norm;
  for (const [i, kind] of kinds.entries()) {
    const map = KIND_MAP[kind];
    if (!map) throw new NnphysError(`${fn}: kinds[${i}] must be one of one, inf, one-inf, two-inf, got ${JSON.stringify(kind)}`);
    const [domain, codomain] = map;
    if (domain !== space) {
      throw new NnphysError(
        `${fn}: kinds[${i}] = '${kind}' bounds an l_${domain} -> l_${codomain} norm but its input is measured in l_${space}` +
          `${i === 0 ? ' (the network input norm)' : ` (the codomain of kinds[${i - 1}])`}; the chain would not certify the bound`,
      );
    }
    space = codomain;
  }
}

/** Per-layer budgets c_l: lambda^{1/m} each by default (eq. 2.7); given budgets must multiply to at most lambda. */
export function layerBudgets(lipschitz: number, layers: number, budgets: number[] | undefined, fn: string): number[] {
  if (budgets === undefined) return Array.from({ length: layers }, () => lipschitz ** (1 / layers));
  if (!Array.isArray(budgets) || budgets.length !== layers) {
    throw new NnphysError(`${fn}: budgets must be an array with one entry per layer (${layers}), got ${Array.isArray(budgets) ? `length ${budgets.length}` : String(budgets)}`);
  }
  let product = 1;
  for (const [i, c] of budgets.entries()) {
    assertPositiveNumber(c, `${fn}: budgets[${i}]`);
    product *= c;
  }
  if (product > lipschitz * (1 + 1e-12)) throw new NnphysError(`${fn}: the budgets multiply to ${product}, more than lipschitz = ${lipschitz}`);
  return [...budgets];
}
