/**
 * The infinite-width state carried through an architecture's kernel rules
 * (neural-tangents' `Kernel`): for every pair of inputs (x, x') the NNGP
 * covariance Sigma(x, x') and the NTK Theta(x, x') of the current layer, plus
 * the variances Sigma(x, x) of each input (needed by nonlinearities).
 * Everything is float64.
 *
 * Layouts:
 * - 'full': pairs (i, j) of x1 x x2, row-major n1 x n2;
 * - 'symmetric': x2 = x1, same layout, only entries j >= i are meaningful
 *   until `kernelResult` mirrors them (halves the cost of nonlinearities);
 * - 'diagonal': the n1 pairs (i, i) only (`kernelDiagonal`).
 */
export interface KernelState {
  readonly layout: 'full' | 'symmetric' | 'diagonal';
  readonly n1: number;
  readonly n2: number;
  /** Sigma(x1_i, x2_j) for every pair in the layout. */
  nngp: Float64Array;
  /** Theta(x1_i, x2_j) for every pair in the layout. */
  ntk: Float64Array;
  /** Sigma(x1_i, x1_i). */
  var1: Float64Array;
  /** Sigma(x2_j, x2_j) (the same array as var1 for 'symmetric' and 'diagonal'). */
  var2: Float64Array;
}

/** Row-major float64 copy of a validated number[][]. */
export function toFloat64(x: ArrayLike<ArrayLike<number>>, cols: number): Float64Array {
  const out = new Float64Array(x.length * cols);
  for (let i = 0; i < x.length; i++) {
    const row = x[i] as ArrayLike<number>;
    for (let j = 0; j < cols; j++) out[i * cols + j] = row[j] as number;
  }
  return out;
}

/**
 * The input "layer": Sigma^0(x, x') = x.x' / d_in and Theta^0 = 0 (no
 * parameters yet), so that a first dense layer gives Sigma^1 = Theta^1 =
 * sigmaW^2 x.x'/d_in + sigmaB^2 (spec ntk §2.3, first layer).
 */
export function inputState(x1: Float64Array, n1: number, x2: Float64Array | null, n2: number, d: number, layout: KernelState['layout']): KernelState {
  const sqnorms = (x: Float64Array, n: number) => {
    const v = new Float64Array(n);
    for (let i = 0; i < n; i++) {
      let s = 0;
      for (let k = 0; k < d; k++) {
        const a = x[i * d + k] as number;
        s += a * a;
      }
      v[i] = s / d;
    }
    return v;
  };
  const var1 = sqnorms(x1, n1);
  if (layout === 'diagonal') {
    return { layout, n1, n2: n1, nngp: Float64Array.from(var1), ntk: new Float64Array(n1), var1, var2: var1 };
  }
  const other = layout === 'symmetric' ? x1 : (x2 as Float64Array);
  const var2 = layout === 'symmetric' ? var1 : sqnorms(other, n2);
  const nngp = new Float64Array(n1 * n2);
  for (let i = 0; i < n1; i++) {
    const oi = i * d;
    for (let j = layout === 'symmetric' ? i : 0; j < n2; j++) {
      const oj = j * d;
      let s = 0;
      for (let k = 0; k < d; k++) s += (x1[oi + k] as number) * (other[oj + k] as number);
      nngp[i * n2 + j] = s / d;
    }
  }
  return { layout, n1, n2, nngp, ntk: new Float64Array(n1 * n2), var1, var2 };
}

/**
 * The dual of an elementwise nonlinearity phi: for (u, v) ~ N(0, [[s11, s12], [s12, s22]])
 * it writes E[phi(u) phi(v)] into out[0] and E[phi'(u) phi'(v)] into out[1].
 */
export type Dual = (s11: number, s22: number, s12: number, out: Float64Array) => void;

/**
 * Applies an elementwise nonlinearity to the state (spec ntk §2.3):
 * Sigma <- E[phi(u) phi(v)], Theta <- Theta * E[phi'(u) phi'(v)].
 * The variances follow from the same dual at s11 = s22 = s12, so the diagonal
 * of the full kernel and `kernelDiagonal` agree exactly.
 */
export function applyDual(state: KernelState, dual: Dual): KernelState {
  const out = new Float64Array(2);
  const mapVar = (v: Float64Array) => {
    const r = new Float64Array(v.length);
    for (let i = 0; i < v.length; i++) {
      const s = v[i] as number;
      dual(s, s, s, out);
      r[i] = out[0] as number;
    }
    return r;
  };
  const { layout, n1, n2, var1, var2, nngp, ntk } = state;
  if (layout === 'diagonal') {
    for (let i = 0; i < n1; i++) {
      const s = var1[i] as number;
      dual(s, s, nngp[i] as number, out);
      nngp[i] = out[0] as number;
      ntk[i] = (ntk[i] as number) * (out[1] as number);
    }
  } else {
    for (let i = 0; i < n1; i++) {
      const s11 = var1[i] as number;
      const row = i * n2;
      for (let j = layout === 'symmetric' ? i : 0; j < n2; j++) {
        const p = row + j;
        dual(s11, var2[j] as number, nngp[p] as number, out);
        nngp[p] = out[0] as number;
        ntk[p] = (ntk[p] as number) * (out[1] as number);
      }
    }
  }
  const newVar1 = mapVar(var1);
  const newVar2 = var2 === var1 ? newVar1 : mapVar(var2);
  return { layout, n1, n2, nngp, ntk, var1: newVar1, var2: newVar2 };
}
