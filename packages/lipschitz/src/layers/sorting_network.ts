/**
 * Batcher's odd-even merge sort as a list of stages of disjoint
 * compare-exchange pairs (lo, hi), lo < hi: after a stage, position lo holds
 * the minimum and hi the maximum of the pair. Sizes that are not a power of
 * two are handled by padding with +infinity and dropping the comparators
 * that touch the padding (they never move anything).
 */
export function oddEvenMergeSortStages(n: number): Array<Array<[number, number]>> {
  let size = 1;
  while (size < n) size *= 2;
  const stages: Array<Array<[number, number]>> = [];
  for (let p = 1; p < size; p *= 2) {
    for (let k = p; k >= 1; k = Math.floor(k / 2)) {
      const stage: Array<[number, number]> = [];
      for (let j = k % p; j + k < size; j += 2 * k) {
        for (let i = 0; i < Math.min(k, size - j - k); i++) {
          if (Math.floor((i + j) / (2 * p)) === Math.floor((i + j + k) / (2 * p))) {
            const lo = i + j;
            const hi = i + j + k;
            if (hi < n) stage.push([lo, hi]);
          }
        }
      }
      if (stage.length > 0) stages.push(stage);
    }
  }
  return stages;
}
