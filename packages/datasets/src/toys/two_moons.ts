import type { Random } from '@nnphys/core';
import { checkBoolean, checkInteger, checkNumber, checkOptions } from '../internal/checks.js';
import { linspace } from '../internal/grid.js';
import { randomFrom } from '../internal/random.js';

export interface TwoMoonsOptions {
  samples: number;
  /** Standard deviation of the Gaussian noise added to each coordinate. Default 0 (separable). */
  noise?: number;
  /** Extra vertical separation: the inner moon is moved down by `gap`. Default 0 (scikit-learn's moons). */
  gap?: number;
  /** Shuffle the samples (scikit-learn does). Default true. */
  shuffle?: boolean;
  seed?: number | Random;
}

/**
 * Two interleaving half circles, as scikit-learn's `make_moons`: floor(n/2) points of class 0 on
 * (cos t, sin t) and the rest of class 1 on (1 - cos t, 1/2 - sin t - gap), t evenly spaced in [0, pi],
 * plus N(0, noise^2) per coordinate. Without noise the classes are separated by a margin of
 * 0.5 (more with `gap`), the separable case the loss study of 004 §2.5 (Fig. 2.7) needs.
 */
export function twoMoons(opts: TwoMoonsOptions): { x: number[][]; y: number[] } {
  const o = checkOptions<TwoMoonsOptions>(opts, 'twoMoons: options');
  const samples = checkInteger(o.samples, 'twoMoons: samples', 2);
  const noise = checkNumber(o.noise ?? 0, 'twoMoons: noise', 0);
  const gap = checkNumber(o.gap ?? 0, 'twoMoons: gap', 0);
  const shuffle = checkBoolean(o.shuffle ?? true, 'twoMoons: shuffle');
  const rng = randomFrom(o.seed, 'twoMoons: seed');
  const nOuter = Math.floor(samples / 2);
  const nInner = samples - nOuter;
  const x: number[][] = [];
  const y: number[] = [];
  for (const t of linspace(0, Math.PI, nOuter)) {
    x.push([Math.cos(t), Math.sin(t)]);
    y.push(0);
  }
  for (const t of linspace(0, Math.PI, nInner)) {
    x.push([1 - Math.cos(t), 0.5 - Math.sin(t) - gap]);
    y.push(1);
  }
  if (noise > 0) {
    for (const p of x) {
      p[0] = (p[0] as number) + rng.normal(0, noise);
      p[1] = (p[1] as number) + rng.normal(0, noise);
    }
  }
  if (!shuffle) return { x, y };
  const order = rng.permutation(samples);
  return { x: order.map((i) => x[i] as number[]), y: order.map((i) => y[i] as number) };
}
