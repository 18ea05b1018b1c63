import { NnphysError } from '../errors.js';

/**
 * Index range checks run inside the kernels because only there is the index
 * data at hand without an extra read-back; they run before any output is
 * allocated so that a failing call leaks nothing.
 */
export function checkGatherIndices(ids: Int32Array, numRows: number, argName: string, allowNegative: boolean): void {
  for (let e = 0; e < ids.length; e++) {
    const v = ids[e] as number;
    if (v >= numRows || (v < 0 && !allowNegative)) {
      throw new NnphysError(`${argName}[${e}] = ${v} is out of range: expected an index in [0, ${numRows - 1}] (the source has ${numRows} rows)`);
    }
  }
}

/** Segment ids may be negative (dropped, like TensorFlow's padding convention) but not >= numSegments. */
export function checkSegmentIds(ids: Int32Array, numSegments: number, argName: string): void {
  for (let e = 0; e < ids.length; e++) {
    const v = ids[e] as number;
    if (v >= numSegments) {
      throw new NnphysError(`${argName}[${e}] = ${v} is out of range: expected a segment id < numSegments = ${numSegments} (negative ids are dropped)`);
    }
  }
}
