import { checkChoice, checkInteger } from '../internal/checks.js';

export type AtomEncoding = 'binary' | 'onehot';

/** Number of bits of the binary code for a vocabulary: ceil(log2(vocabulary)), at least 1 (7 for 128 atoms). */
export function binaryWidth(vocabulary: number): number {
  return Math.max(1, Math.ceil(Math.log2(vocabulary)));
}

/**
 * Encodes atom `index` of a vocabulary of `vocabulary` atoms (002 §4.2, §4.7):
 * 'binary' is the index in base 2, most significant bit first (atom 14 of 128 -> 0001110);
 * 'onehot' is a vector of length `vocabulary` with a 1 at `index`.
 */
export function encodeAtom(index: number, encoding: AtomEncoding = 'binary', vocabulary = 128): number[] {
  checkInteger(vocabulary, 'encodeAtom: vocabulary', 1);
  checkInteger(index, 'encodeAtom: index', 0, vocabulary - 1);
  checkChoice(encoding, 'encodeAtom: encoding', ['binary', 'onehot'] as const);
  return encodeUnchecked(index, encoding, vocabulary);
}

export function encodeUnchecked(index: number, encoding: AtomEncoding, vocabulary: number): number[] {
  if (encoding === 'onehot') {
    const v = new Array<number>(vocabulary).fill(0);
    v[index] = 1;
    return v;
  }
  const width = binaryWidth(vocabulary);
  const v = new Array<number>(width);
  for (let b = 0; b < width; b++) v[b] = (index >>> (width - 1 - b)) & 1;
  return v;
}

/** The bit string of an atom ("0001110" for 14 of 128), the key format of the 002 listings. */
export function atomBits(index: number, vocabulary = 128): string {
  checkInteger(vocabulary, 'atomBits: vocabulary', 1);
  checkInteger(index, 'atomBits: index', 0, vocabulary - 1);
  return index.toString(2).padStart(binaryWidth(vocabulary), '0');
}
