import { NnphysError } from './errors.js';

/**
 * A small, portable, seedable generator (xoshiro128**, seeded through
 * splitmix32). Same seed gives the same numbers in Node and in browsers;
 * nothing in nnphys uses Math.random.
 */
export class Random {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;
  private spareNormal: number | null = null;

  constructor(seed = 0) {
    let x = (Math.floor(seed) ^ 0x9e3779b9) >>> 0;
    // Fold in the high bits so seeds above 2^32 differ too.
    x = (x ^ Math.floor(seed / 4294967296)) >>> 0;
    const next = () => {
      x = (x + 0x9e3779b9) >>> 0;
      let z = x;
      z = Math.imul(z ^ (z >>> 16), 0x85ebca6b) >>> 0;
      z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35) >>> 0;
      return (z ^ (z >>> 16)) >>> 0;
    };
    this.s0 = next();
    this.s1 = next();
    this.s2 = next();
    this.s3 = next();
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32 random bits as an unsigned integer. */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5) >>> 0, 7), 9) >>> 0;
    const t = (this.s1 << 9) >>> 0;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    this.s0 >>>= 0;
    this.s1 >>>= 0;
    this.s2 >>>= 0;
    this.s3 >>>= 0;
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits. */
  uniform(): number {
    const hi = this.nextUint32() >>> 5; // 27 bits
    const lo = this.nextUint32() >>> 6; // 26 bits
    return (hi * 67108864 + lo) / 9007199254740992;
  }

  /** Uniform double in [lo, hi). */
  uniformIn(lo: number, hi: number): number {
    return lo + (hi - lo) * this.uniform();
  }

  /** Standard normal deviate (Marsaglia polar method). */
  normal(mean = 0, std = 1): number {
    if (this.spareNormal !== null) {
      const v = this.spareNormal;
      this.spareNormal = null;
      return mean + std * v;
    }
    let u: number;
    let v: number;
    let s: number;
    do {
      u = 2 * this.uniform() - 1;
      v = 2 * this.uniform() - 1;
      s = u * u + v * v;
    } while (s >= 1 || s === 0);
    const f = Math.sqrt((-2 * Math.log(s)) / s);
    this.spareNormal = v * f;
    return mean + std * u * f;
  }

  /** Uniform integer in [0, n). Unbiased (rejection sampling). */
  int(n: number): number {
    if (!(n > 0 && n <= 4294967296 && Number.isInteger(n))) throw new NnphysError(`Random.int: n must be an integer in [1, 2^32], got ${n}`);
    const limit = 4294967296 - (4294967296 % n);
    let x: number;
    do x = this.nextUint32();
    while (x >= limit);
    return x % n;
  }

  /** Fisher-Yates shuffle in place; returns the array. */
  shuffle<T>(array: T[]): T[] {
    for (let i = array.length - 1; i > 0; i--) {
      const j = this.int(i + 1);
      const tmp = array[i] as T;
      array[i] = array[j] as T;
      array[j] = tmp;
    }
    return array;
  }

  /** A random permutation of 0..n-1. */
  permutation(n: number): number[] {
    return this.shuffle(Array.from({ length: n }, (_, i) => i));
  }

  /** Fills a Float32Array (or Float64Array) with normal deviates. */
  fillNormal<T extends Float32Array | Float64Array>(out: T, mean = 0, std = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.normal(mean, std);
    return out;
  }

  /** Fills an array with uniform deviates in [lo, hi). */
  fillUniform<T extends Float32Array | Float64Array>(out: T, lo = 0, hi = 1): T {
    for (let i = 0; i < out.length; i++) out[i] = this.uniformIn(lo, hi);
    return out;
  }

  /** An independent child generator; advances this one. */
  fork(): Random {
    return new Random(this.nextUint32() * 4294967296 + this.nextUint32());
  }

  /** An integer seed drawn from this generator, e.g. to seed a tfjs op. */
  nextSeed(): number {
    return this.nextUint32();
  }
}

function rotl(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

let globalGenerator = new Random(0);

/** Resets the global generator; every later draw without an explicit seed follows from it. */
export function seed(value: number): void {
  if (typeof value !== 'number' || !Number.isFinite(value)) {
    throw new NnphysError(`seed: value must be a finite number, got ${String(value)}`);
  }
  globalGenerator = new Random(value);
}

/** The global generator (set by `seed()`). */
export function globalRandom(): Random {
  return globalGenerator;
}

/**
 * The generator to use for an optional `seed` argument: a fresh generator for
 * a number, the given generator itself, or the global one when absent.
 */
export function resolveRandom(seedOrRandom?: number | Random): Random {
  if (seedOrRandom instanceof Random) return seedOrRandom;
  if (seedOrRandom === undefined) return globalGenerator;
  if (typeof seedOrRandom !== 'number' || !Number.isFinite(seedOrRandom)) {
    throw new NnphysError(`seed must be a finite number or a Random, got ${String(seedOrRandom)}`);
  }
  return new Random(seedOrRandom);
}
