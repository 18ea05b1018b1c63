/**
 * Legendre polynomials P_0..P_order at x, by the Bonnet recurrence
 * (l+1) P_{l+1}(x) = (2l+1) x P_l(x) - l P_{l-1}(x)   (004 eq. 3.11; spec §2.3).
 * Stable on [-1, 1] for every order.
 */
export function legendre(order: number, x: number): Float64Array {
  const p = new Float64Array(order + 1);
  p[0] = 1;
  if (order >= 1) p[1] = x;
  for (let l = 1; l < order; l++) p[l + 1] = ((2 * l + 1) * x * p[l]! - l * p[l - 1]!) / (l + 1);
  return p;
}
