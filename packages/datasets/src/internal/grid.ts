/** n evenly spaced numbers from lo to hi inclusive (numpy.linspace); [lo] when n = 1. */
export function linspace(lo: number, hi: number, n: number): number[] {
  if (n === 1) return [lo];
  return Array.from({ length: n }, (_, i) => (i === n - 1 ? hi : lo + ((hi - lo) * i) / (n - 1)));
}
