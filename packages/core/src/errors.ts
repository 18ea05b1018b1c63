/**
 * The one error type of nnphys. Messages name the argument, what was expected
 * and what was received, so a user can fix the call without reading our code.
 */
export class NnphysError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NnphysError';
  }
}

/** Formats a value for an error message without dumping large arrays. */
export function describe(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return `an array of length ${value.length}`;
  if (ArrayBuffer.isView(value)) return `a ${value.constructor.name} of length ${(value as unknown as ArrayLike<number>).length}`;
  const maybeTensor = value as { shape?: number[]; dtype?: string; rank?: number };
  if (Array.isArray(maybeTensor.shape) && typeof maybeTensor.dtype === 'string') {
    return `a ${maybeTensor.dtype} tensor of shape [${maybeTensor.shape.join(', ')}]`;
  }
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return typeof value;
}
