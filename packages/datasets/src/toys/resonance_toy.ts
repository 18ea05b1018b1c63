import type { Random } from '@nnphys/core';
import { checkChoice, checkInteger, checkNumber, checkOptions } from '../internal/checks.js';
import { randomFrom } from '../internal/random.js';

export type ResonanceX2 = 'gaussian' | 'gaussianFirstPrinting' | 'expPlus2m';

export interface ResonanceToyOptions {
  samples: number;
  /**
   * Definition of the mass-dependent feature x2:
   * - 'gaussian' (default): exp[-(m - 0.2)^2 / (2 * 0.1^2)], the second printing of 004 eq. 3.24;
   * - 'gaussianFirstPrinting': exp[-(m - 0.2)^2 / 2], the first printing (drops the 0.1^2);
   * - 'expPlus2m': exp(m) + 2m, the modified model of eq. 3.25.
   */
  x2?: ResonanceX2;
  /** Fraction of signal samples (y = 1); the rest is background, half of each type. Default 0.5. */
  signalFraction?: number;
  seed?: number | Random;
}

/** Where each sample comes from. */
export const RESONANCE_SOURCES = ['signal-peak', 'signal-flat', 'background-1', 'background-2'] as const;

export interface ResonanceToyData {
  /** Features [x1, x2]. */
  x: number[][];
  /** The mass m. */
  mass: number[];
  /** 1 signal, 0 background. */
  y: number[];
  /**
   * Index into RESONANCE_SOURCES: 0 signal with m ~ N(0.2, 0.1), 1 signal with m ~ U(-1, 1),
   * 2 background type 1 (x1 ~ N(0, 1), m = 1 - 2 sqrt(U)), 3 background type 2 (x1 ~ N(-4, 1), m = -1 + 2 sqrt(U)).
   */
  source: number[];
}

/** x2 as a function of the mass (eqs. 3.24 and 3.25). */
export function resonanceX2(m: number, variant: ResonanceX2 = 'gaussian'): number {
  switch (variant) {
    case 'gaussian':
      return Math.exp(-((m - 0.2) ** 2) / (2 * 0.1 ** 2)); // eq. 3.24, second printing
    case 'gaussianFirstPrinting':
      return Math.exp(-((m - 0.2) ** 2) / 2); // eq. 3.24, first printing
    case 'expPlus2m':
      return Math.exp(m) + 2 * m; // eq. 3.25
  }
}

/**
 * The MoDe simple model of 004 §3.3.1 (eqs. 3.23-3.25): a signal and two backgrounds with
 * x1 ~ N(1, 1) (signal), N(0, 1) (background 1), N(-4, 1) (background 2); signal mass drawn from
 * N(0.2, 0.1) or U(-1, 1) with equal probability; background masses m = 1 - 2 sqrt(U) (type 1,
 * density (1 - m)/2) and m = -1 + 2 sqrt(U) (type 2, density (1 + m)/2), U ~ U(0, 1).
 * Class counts are exact (round(samples * signalFraction) signal, background split evenly between the
 * two types); samples are shuffled.
 */
export function resonanceToy(opts: ResonanceToyOptions): ResonanceToyData {
  const o = checkOptions<ResonanceToyOptions>(opts, 'resonanceToy: options');
  const samples = checkInteger(o.samples, 'resonanceToy: samples', 1);
  const variant = checkChoice(o.x2 ?? 'gaussian', 'resonanceToy: x2', ['gaussian', 'gaussianFirstPrinting', 'expPlus2m'] as const);
  const signalFraction = checkNumber(o.signalFraction ?? 0.5, 'resonanceToy: signalFraction', 0, 1);
  const rng = randomFrom(o.seed, 'resonanceToy: seed');

  const nSignal = Math.round(samples * signalFraction);
  const nBackground1 = Math.ceil((samples - nSignal) / 2);
  const kinds: number[] = [];
  for (let i = 0; i < samples; i++) kinds.push(i < nSignal ? 0 : i < nSignal + nBackground1 ? 2 : 3);
  rng.shuffle(kinds);

  const out: ResonanceToyData = { x: [], mass: [], y: [], source: [] };
  for (let kind of kinds) {
    let x1: number;
    let m: number;
    if (kind === 0) {
      x1 = rng.normal(1, 1); // eq. 3.23, Y = 1
      if (rng.uniform() < 0.5) {
        m = rng.normal(0.2, 0.1);
      } else {
        m = rng.uniformIn(-1, 1);
        kind = 1;
      }
    } else if (kind === 2) {
      x1 = rng.normal(0, 1); // eq. 3.23, background type 1
      m = 1 - 2 * Math.sqrt(rng.uniform());
    } else {
      x1 = rng.normal(-4, 1); // eq. 3.23, background type 2
      m = -1 + 2 * Math.sqrt(rng.uniform());
    }
    out.x.push([x1, resonanceX2(m, variant)]);
    out.mass.push(m);
    out.y.push(kind < 2 ? 1 : 0);
    out.source.push(kind);
  }
  return out;
}
