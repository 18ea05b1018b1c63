import { NnphysError } from '@nnphys/core';

/** ||estimate - reference||_F / ||reference||_F for two matrices of the same shape. */
export function relativeError(estimate: number[][], reference: number[][]): number {
  if (!Array.isArray(estimate) || !Array.isArray(reference) || estimate.length !== reference.length) {
    throw new NnphysError(`relativeError: estimate and reference must have the same number of rows, got ${estimate?.length} and ${reference?.length}`);
  }
  let num = 0;
  let den = 0;
  estimate.forEach((row, i) => {
    const ref = reference[i] as number[];
    if (!Array.isArray(row) || !Array.isArray(ref) || row.length !== ref.length) throw new NnphysError(`relativeError: row ${i} lengths differ`);
    row.forEach((v, j) => {
      num += (v - (ref[j] as number)) ** 2;
      den += (ref[j] as number) ** 2;
    });
  });
  if (den === 0) throw new NnphysError('relativeError: the reference is all zeros');
  return Math.sqrt(num / den);
}
