import { argsort } from './argsort.js';

/**
 * Exact weighted squared distance correlation of two univariate samples in
 * O(n log n) time and O(n) memory, with its gradient, in float64
 * (the sorting / Fenwick-tree algorithm of Huo & Székely 2016, extended to
 * weights and to the gradient).
 *
 * With normalised weights p (Σp = 1), a_ij = |x_i - x_j|, row means
 * ā_i = Σ_j p_j a_ij, grand mean ā = Σ_i p_i ā_i and A the double-centred
 * matrix (spec §2.5):
 *   dCov²(x, y) = Σ_ij p_i p_j A_ij B_ij = Σ_ij p_i p_j a_ij b_ij - 2 Σ_i p_i ā_i b̄_i + ā b̄
 *   dCor²(x, y) = dCov²(x, y) / sqrt(dCov²(x, x) dCov²(y, y)).
 * Because B is double-centred, dCov² = Σ_ij p_i p_j a_ij B_ij, so
 *   ∂dCov²(x, y)/∂x_k = 2 p_k Σ_j p_j sgn(x_k - x_j) B_kj,
 * and every sum over j splits into prefix sums in sorted order.
 */
export interface DistanceCorrelationTerms {
  /** dCor²(x, y); 0 when x or y is constant (the dcor convention). */
  value: number;
  dcovXY: number;
  dcovXX: number;
  dcovYY: number;
  /** ∂ dCor² / ∂x and ∂ dCor² / ∂y (weights held fixed). */
  gradX: Float64Array;
  gradY: Float64Array;
}

/** Fenwick (binary indexed) tree holding `width` running sums per position. */
class Fenwick {
  readonly sums: Float64Array;
  constructor(
    private readonly n: number,
    private readonly width: number,
  ) {
    this.sums = new Float64Array((n + 1) * width);
  }
  add(pos: number, values: readonly number[]): void {
    const w = this.width;
    for (let i = pos + 1; i <= this.n; i += i & -i) for (let k = 0; k < w; k++) this.sums[i * w + k]! += values[k]!;
  }
  /** Sums over positions < pos, written into out. */
  prefix(pos: number, out: Float64Array): void {
    const w = this.width;
    out.fill(0);
    for (let i = pos; i > 0; i -= i & -i) for (let k = 0; k < w; k++) out[k]! += this.sums[i * w + k]!;
  }
}

function ranksOf(order: Uint32Array): Uint32Array {
  const r = new Uint32Array(order.length);
  for (let i = 0; i < order.length; i++) r[order[i]!] = i;
  return r;
}

/** Row means ā_k = Σ_j p_j |u_k - u_j| from prefix sums along the sorted order. */
function rowMeans(u: Float64Array, p: Float64Array, order: Uint32Array): Float64Array {
  const n = u.length;
  let totP = 0;
  let totPU = 0;
  for (let i = 0; i < n; i++) {
    totP += p[i]!;
    totPU += p[i]! * u[i]!;
  }
  const out = new Float64Array(n);
  let leftP = 0;
  let leftPU = 0;
  for (let r = 0; r < n; r++) {
    const k = order[r]!;
    const uk = u[k]!;
    const rightP = totP - leftP - p[k]!;
    const rightPU = totPU - leftPU - p[k]! * uk;
    // Ties contribute |u_k - u_j| = 0 on either side.
    out[k] = uk * leftP - leftPU + (rightPU - uk * rightP);
    leftP += p[k]!;
    leftPU += p[k]! * uk;
  }
  return out;
}

/**
 * For each k: σ_k = Σ_j p_j sgn(u_k - u_j), T_k = Σ_j p_j sgn(u_k - u_j) |v_k - v_j|
 * and, for each vector c in `cs`, Σ_j p_j sgn(u_k - u_j) c_j. Ties in u have sgn 0;
 * both directions are swept with tie groups queried before insertion.
 */
function signedSums(u: Float64Array, v: Float64Array, p: Float64Array, uOrder: Uint32Array, vRank: Uint32Array, cs: Float64Array[]) {
  const n = u.length;
  const sigma = new Float64Array(n);
  const t = new Float64Array(n);
  const tc = cs.map(() => new Float64Array(n));
  const q = new Float64Array(2);
  for (const direction of [1, -1] as const) {
    const tree = new Fenwick(n, 2);
    let insP = 0;
    let insPV = 0;
    const insC = new Float64Array(cs.length);
    let r = direction === 1 ? 0 : n - 1;
    while (direction === 1 ? r < n : r >= 0) {
      // The group of entries tied with u at position r.
      let end = r;
      const uk = u[uOrder[r]!]!;
      while ((direction === 1 ? end < n : end >= 0) && u[uOrder[end]!] === uk) end += direction;
      for (let s = r; s !== end; s += direction) {
        const k = uOrder[s]!;
        const vk = v[k]!;
        tree.prefix(vRank[k]!, q); // inserted entries with v below v_k
        const below = vk * q[0]! - q[1]!;
        const above = insPV - q[1]! - vk * (insP - q[0]!);
        // Entries swept so far lie strictly below u_k (direction 1) or strictly above (direction -1).
        sigma[k]! += direction * insP;
        t[k]! += direction * (below + above);
        for (let c = 0; c < cs.length; c++) tc[c]![k]! += direction * insC[c]!;
      }
      for (let s = r; s !== end; s += direction) {
        const k = uOrder[s]!;
        tree.add(vRank[k]!, [p[k]!, p[k]! * v[k]!]);
        insP += p[k]!;
        insPV += p[k]! * v[k]!;
        for (let c = 0; c < cs.length; c++) insC[c]! += p[k]! * cs[c]![k]!;
      }
      r = end;
    }
  }
  return { sigma, t, tc };
}

export function distanceCorrelationSorted(xIn: ArrayLike<number>, yIn: ArrayLike<number>, weights?: ArrayLike<number>): DistanceCorrelationTerms {
  const n = xIn.length;
  const p = new Float64Array(n);
  let wsum = 0;
  for (let i = 0; i < n; i++) wsum += weights === undefined ? 1 : weights[i]!;
  for (let i = 0; i < n; i++) p[i] = (weights === undefined ? 1 : weights[i]!) / wsum;
  // Centre both samples (dCor is shift invariant) to keep the products small.
  let mx = 0;
  let my = 0;
  for (let i = 0; i < n; i++) {
    mx += p[i]! * xIn[i]!;
    my += p[i]! * yIn[i]!;
  }
  const x = new Float64Array(n);
  const y = new Float64Array(n);
  let xmin = Number.POSITIVE_INFINITY;
  let xmax = Number.NEGATIVE_INFINITY;
  let ymin = Number.POSITIVE_INFINITY;
  let ymax = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < n; i++) {
    x[i] = xIn[i]! - mx;
    y[i] = yIn[i]! - my;
    if (p[i]! > 0) {
      xmin = Math.min(xmin, xIn[i]!);
      xmax = Math.max(xmax, xIn[i]!);
      ymin = Math.min(ymin, yIn[i]!);
      ymax = Math.max(ymax, yIn[i]!);
    }
  }
  const zero = (): DistanceCorrelationTerms => ({ value: 0, dcovXY: 0, dcovXX: 0, dcovYY: 0, gradX: new Float64Array(n), gradY: new Float64Array(n) });
  if (!(xmax > xmin) || !(ymax > ymin)) return zero();

  const xOrder = argsort(x);
  const yOrder = argsort(y);
  const xRank = ranksOf(xOrder);
  const yRank = ranksOf(yOrder);
  const aBar = rowMeans(x, p, xOrder);
  const bBar = rowMeans(y, p, yOrder);
  let aGrand = 0;
  let bGrand = 0;
  let mixed = 0;
  let aSq = 0;
  let bSq = 0;
  let varX = 0;
  let varY = 0;
  for (let i = 0; i < n; i++) {
    aGrand += p[i]! * aBar[i]!;
    bGrand += p[i]! * bBar[i]!;
    mixed += p[i]! * aBar[i]! * bBar[i]!;
    aSq += p[i]! * aBar[i]! * aBar[i]!;
    bSq += p[i]! * bBar[i]! * bBar[i]!;
    varX += p[i]! * x[i]! * x[i]!;
    varY += p[i]! * y[i]! * y[i]!;
  }
  // Σ_ij p_i p_j a_ij b_ij = 2 Σ_k p_k Σ_{j before k in x order} p_j (x_k - x_j) |y_k - y_j|.
  const tree = new Fenwick(n, 4);
  const q = new Float64Array(4);
  let insP = 0;
  let insPX = 0;
  let insPY = 0;
  let insPXY = 0;
  let cross = 0;
  for (let r = 0; r < n; r++) {
    const k = xOrder[r]!;
    const xk = x[k]!;
    const yk = y[k]!;
    tree.prefix(yRank[k]!, q);
    const below = xk * yk * q[0]! - xk * q[2]! - yk * q[1]! + q[3]!;
    const above = -(xk * yk * (insP - q[0]!) - xk * (insPY - q[2]!) - yk * (insPX - q[1]!) + (insPXY - q[3]!));
    cross += p[k]! * (below + above);
    const pk = p[k]!;
    tree.add(yRank[k]!, [pk, pk * xk, pk * yk, pk * xk * yk]);
    insP += pk;
    insPX += pk * xk;
    insPY += pk * yk;
    insPXY += pk * xk * yk;
  }
  cross *= 2;
  // x is centred, so Σ_ij p_i p_j (x_i - x_j)² = 2 Σ p x².
  const dcovXY = cross - 2 * mixed + aGrand * bGrand;
  const dcovXX = 2 * varX - 2 * aSq + aGrand * aGrand;
  const dcovYY = 2 * varY - 2 * bSq + bGrand * bGrand;
  if (!(dcovXX > 0) || !(dcovYY > 0)) return zero();
  const denom = Math.sqrt(dcovXX * dcovYY);
  const value = dcovXY / denom;

  const sx = signedSums(x, y, p, xOrder, yRank, [bBar, aBar]);
  const sy = signedSums(y, x, p, yOrder, xRank, [aBar, bBar]);
  const gradX = new Float64Array(n);
  const gradY = new Float64Array(n);
  for (let k = 0; k < n; k++) {
    // Σ_j p_j sgn(x_k - x_j) B_kj and Σ_j p_j sgn(x_k - x_j) A_kj (the latter with Σ_j p_j (x_k - x_j) = x_k).
    const sB = sx.t[k]! - bBar[k]! * sx.sigma[k]! - sx.tc[0]![k]! + bGrand * sx.sigma[k]!;
    const sA = x[k]! - aBar[k]! * sx.sigma[k]! - sx.tc[1]![k]! + aGrand * sx.sigma[k]!;
    const gxy = 2 * p[k]! * sB;
    const gxx = 4 * p[k]! * sA;
    gradX[k] = gxy / denom - (0.5 * value * gxx) / dcovXX;
    const tA = sy.t[k]! - aBar[k]! * sy.sigma[k]! - sy.tc[0]![k]! + aGrand * sy.sigma[k]!;
    const tB = y[k]! - bBar[k]! * sy.sigma[k]! - sy.tc[1]![k]! + bGrand * sy.sigma[k]!;
    gradY[k] = (2 * p[k]! * tA) / denom - (0.5 * value * 4 * p[k]! * tB) / dcovYY;
  }
  return { value, dcovXY, dcovXX, dcovYY, gradX, gradY };
}
