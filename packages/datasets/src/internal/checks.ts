import { NnphysError } from '@nnphys/core';

/** Formats a value for an error message without dumping large arrays. */
export function show(value: unknown): string {
  if (value === null) return 'null';
  if (value === undefined) return 'undefined';
  if (typeof value === 'number') return Number.isNaN(value) ? 'NaN' : String(value);
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (Array.isArray(value)) return value.length <= 6 ? `[${value.map(show).join(', ')}]` : `an array of length ${value.length}`;
  if (value instanceof Map) return `a Map of size ${value.size}`;
  if (typeof value === 'object') return `an object (${(value as object).constructor?.name ?? 'Object'})`;
  return typeof value;
}

export function fail(message: string): never {
  throw new NnphysError(message);
}

/** An options object (or undefined when `optional`). */
export function checkOptions<T extends object>(opts: unknown, name: string, optional = false): T {
  if (opts === undefined && optional) return {} as T;
  if (opts === null || typeof opts !== 'object' || Array.isArray(opts)) fail(`${name} must be an options object, got ${show(opts)}`);
  return opts as T;
}

export function checkInteger(value: unknown, name: string, lo: number, hi = Number.MAX_SAFE_INTEGER): number {
  if (typeof value !== 'number' || !Number.isInteger(value) || value < lo || value > hi) {
    const range = hi === Number.MAX_SAFE_INTEGER ? `>= ${lo}` : `in [${lo}, ${hi}]`;
    fail(`${name} must be an integer ${range}, got ${show(value)}`);
  }
  return value;
}

export function checkNumber(value: unknown, name: string, lo = -Infinity, hi = Infinity, loOpen = false, hiOpen = false): number {
  const ok =
    typeof value === 'number' &&
    Number.isFinite(value) &&
    (loOpen ? value > lo : value >= lo) &&
    (hiOpen ? value < hi : value <= hi);
  if (!ok) {
    const range = `${loOpen ? '(' : '['}${lo}, ${hi}${hiOpen ? ')' : ']'}`;
    fail(`${name} must be a finite number in ${range}, got ${show(value)}`);
  }
  return value as number;
}

export function checkChoice<T extends string>(value: unknown, name: string, allowed: readonly T[]): T {
  if (!allowed.includes(value as T)) {
    fail(`${name} must be one of ${allowed.map((a) => JSON.stringify(a)).join(', ')}, got ${show(value)}`);
  }
  return value as T;
}

export function checkBoolean(value: unknown, name: string): boolean {
  if (typeof value !== 'boolean') fail(`${name} must be true or false, got ${show(value)}`);
  return value;
}

/** A finite interval [lo, hi] with lo < hi. */
export function checkInterval(value: unknown, name: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2) fail(`${name} must be a pair [lo, hi], got ${show(value)}`);
  const [lo, hi] = value as unknown[];
  if (typeof lo !== 'number' || typeof hi !== 'number' || !Number.isFinite(lo) || !Number.isFinite(hi) || !(lo < hi)) {
    fail(`${name} must be a pair of finite numbers [lo, hi] with lo < hi, got ${show(value)}`);
  }
  return [lo as number, hi as number];
}

/** A finite 2-D point. */
export function checkPoint(value: unknown, name: string): [number, number] {
  if (!Array.isArray(value) || value.length !== 2 || !value.every((v) => typeof v === 'number' && Number.isFinite(v))) {
    fail(`${name} must be a point [x, y] of finite numbers, got ${show(value)}`);
  }
  return [value[0], value[1]];
}
