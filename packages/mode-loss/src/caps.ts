/**
 * The coefficient caps of 004 §3.2.3, applied pointwise in s to the Legendre
 * coefficients c = (c_0, c_1, c_2, ...):
 *
 *   slope cap (eq. 3.12):        c_1 -> κ c_0 tanh(c_1 / (κ c_0)),   κ = maxSlope
 *   monotone quadratic (eq. 3.13): c_2 -> (c_1'/3) tanh(3 c_2 / c_1'), with c_1' the capped c_1
 *
 * Both are of the form a·tanh(x/a), which is even in a and bounded by |a|, so
 * the limit a -> 0 is 0; it is used exactly where a = 0 instead of an ε that
 * would shift the value (spec §2.3, §6). The slope cap is the thesis form,
 * relative to c_0, in both the value and the derivative.
 */
export interface Caps {
  maxSlope?: number;
  monotonic: boolean;
}

/** a·tanh(x/a) and its partial derivatives (∂/∂x, ∂/∂a); 0 at a = 0. */
function softCap(x: number, a: number): [number, number, number] {
  if (a === 0) return [0, 0, 0];
  const z = x / a;
  const t = Math.tanh(z);
  const ch = Math.cosh(z);
  const sech2 = 1 / (ch * ch); // underflows to 0 for |z| > ~355, never NaN
  return [a * t, sech2, t - z * sech2];
}

/** Writes the capped coefficients of `c` into `out` (same length). */
export function applyCaps(c: Float64Array, caps: Caps, out: Float64Array): void {
  out.set(c);
  if (caps.maxSlope !== undefined && c.length > 1) {
    out[1] = softCap(c[1]!, caps.maxSlope * c[0]!)[0];
  }
  if (caps.monotonic && c.length > 2) {
    out[2] = softCap(c[2]!, out[1]! / 3)[0];
  }
}

/**
 * Vector-Jacobian product through the caps: given u = ∂φ/∂c' writes
 * v = (∂c'/∂c)^T u into `v`, and the capped coefficients into `out`.
 */
export function capsVectorJacobian(c: Float64Array, u: Float64Array, caps: Caps, out: Float64Array, v: Float64Array): void {
  out.set(c);
  v.set(u);
  // dc1'/dc0 and dc1'/dc1 (identity when there is no slope cap).
  let d10 = 0;
  let d11 = 1;
  if (caps.maxSlope !== undefined && c.length > 1) {
    const k = caps.maxSlope;
    const [val, dx, da] = softCap(c[1]!, k * c[0]!);
    out[1] = val;
    d11 = dx;
    d10 = da * k;
  }
  if (caps.monotonic && c.length > 2) {
    const [val, dx, da] = softCap(c[2]!, out[1]! / 3);
    out[2] = val;
    // c2' depends on c2 directly and on c0, c1 through c1'.
    const u2 = u[2]!;
    v[2] = u2 * dx;
    const viaC1 = (u2 * da) / 3;
    v[0] = u[0]! + (u[1]! + viaC1) * d10;
    v[1] = (u[1]! + viaC1) * d11;
    return;
  }
  if (c.length > 1) {
    v[0] = u[0]! + u[1]! * d10;
    v[1] = u[1]! * d11;
  }
}
