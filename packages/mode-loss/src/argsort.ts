/**
 * Stable ascending argsort. tfjs has no sort op (only topk, without gradient),
 * and the losses here only need the order of small 1-D arrays read from
 * tensors, so sorting happens in plain JS.
 *
 * Float32 values (what tensors hold) use an LSD radix sort on their bit
 * patterns: O(n), three passes of 11/11/10 bits. Other arrays use a
 * comparison sort with the index as tie-break (O(n log n), deterministic).
 * NaN must be rejected by the caller.
 */
export function argsort(values: Float32Array | Float64Array | readonly number[]): Uint32Array {
  if (values instanceof Float32Array) return radixArgsortFloat32(values);
  const n = values.length;
  const idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  idx.sort((a, b) => {
    const d = (values[a] as number) - (values[b] as number);
    return d !== 0 ? d : a - b;
  });
  return idx;
}

function radixArgsortFloat32(values: Float32Array): Uint32Array {
  const n = values.length;
  const bits = new Uint32Array(values.buffer, values.byteOffset, n);
  // Map IEEE-754 bits to unsigned integers with the same order: flip all bits
  // of negatives, only the sign bit of non-negatives.
  let keys = new Uint32Array(n);
  for (let i = 0; i < n; i++) {
    const b = bits[i]!;
    keys[i] = b & 0x80000000 ? ~b >>> 0 : (b | 0x80000000) >>> 0;
  }
  let idx = new Uint32Array(n);
  for (let i = 0; i < n; i++) idx[i] = i;
  let keysOut = new Uint32Array(n);
  let idxOut = new Uint32Array(n);
  const counts = new Uint32Array(2048);
  for (const [shift, width] of [
    [0, 11],
    [11, 11],
    [22, 10],
  ] as const) {
    const mask = (1 << width) - 1;
    counts.fill(0);
    for (let i = 0; i < n; i++) counts[(keys[i]! >>> shift) & mask]!++;
    let sum = 0;
    for (let d = 0; d <= mask; d++) {
      const c = counts[d]!;
      counts[d] = sum;
      sum += c;
    }
    for (let i = 0; i < n; i++) {
      const k = keys[i]!;
      const pos = counts[(k >>> shift) & mask]!++;
      keysOut[pos] = k;
      idxOut[pos] = idx[i]!;
    }
    [keys, keysOut] = [keysOut, keys];
    [idx, idxOut] = [idxOut, idx];
  }
  return idx;
}
