import type { Random } from '@nnphys/core';
import { checkChoice, checkInteger, checkNumber, checkOptions, fail } from '../internal/checks.js';
import { randomFrom } from '../internal/random.js';

export interface OscillatingCircleOptions {
  /**
   * Angular frequency omega of the oscillation (an integer, so the curve closes). Required: 004 eq. 2.12
   * does not give it (the public "flower" example uses 20).
   */
  omega: number;
  /** Radius of the middle curve. Default 1.5 (004). */
  r?: number;
  /** Oscillation amplitude. Default 0.18 (004). */
  alpha?: number;
  /** Distance between the base radii of neighbouring curves. Default 0.5 (radii 1, 1.5, 2 as in the public example). */
  spacing?: number;
  /** Points per curve. Default 200. */
  pointsPerCurve?: number;
  /** 'even': theta evenly spaced in [0, 2 pi); 'random': theta ~ U[0, 2 pi) with the seed. Default 'even'. */
  sampling?: 'even' | 'random';
  seed?: number | Random;
}

export interface OscillatingCircleData {
  /** Points [x, y]. */
  x: number[][];
  /** Regression label: 0 (inner), 0.5 (middle), 1 (outer). */
  y: number[];
  /** Which curve (0 inner, 1 middle, 2 outer). */
  curve: number[];
  /** Polar angle of each point. */
  theta: number[];
  /** Base radius of each curve: [r - spacing, r, r + spacing]. */
  radii: number[];
  omega: number;
  alpha: number;
}

/** rho(theta) = base + alpha cos(omega theta): the polar form of 004 eq. 2.12 used here. */
export function oscillatingRadius(theta: number, base: number, alpha: number, omega: number): number {
  return base + alpha * Math.cos(omega * theta);
}

/**
 * The expressiveness toy of 004 §2.3.3 (eq. 2.12, Fig. 2.3): three closed curves of oscillating radius
 * rho_k(theta) = R_k + alpha cos(omega theta), R_k = r + (k - 1) spacing, labelled 0, 0.5 and 1 from
 * the inside out. The printed eq. 2.12 is garbled and has no omega; this polar form is the reading
 * of the spec (see README).
 */
export function oscillatingCircle(opts: OscillatingCircleOptions): OscillatingCircleData {
  const o = checkOptions<OscillatingCircleOptions>(opts, 'oscillatingCircle: options');
  if (o.omega === undefined) fail('oscillatingCircle: omega is required (004 eq. 2.12 does not give it; the public example uses 20), got undefined');
  const omega = checkInteger(o.omega, 'oscillatingCircle: omega', 1);
  const r = checkNumber(o.r ?? 1.5, 'oscillatingCircle: r', 0, Infinity, true);
  const alpha = checkNumber(o.alpha ?? 0.18, 'oscillatingCircle: alpha', 0);
  const spacing = checkNumber(o.spacing ?? 0.5, 'oscillatingCircle: spacing', 0, Infinity, true);
  const n = checkInteger(o.pointsPerCurve ?? 200, 'oscillatingCircle: pointsPerCurve', 1);
  const sampling = checkChoice(o.sampling ?? 'even', 'oscillatingCircle: sampling', ['even', 'random'] as const);
  if (2 * alpha >= spacing) fail(`oscillatingCircle: alpha must be below spacing / 2 = ${spacing / 2} so the curves do not cross, got ${alpha}`);
  if (r - spacing - alpha <= 0) fail(`oscillatingCircle: r - spacing - alpha must be > 0 (inner curve radius), got ${r - spacing - alpha}`);
  const rng = randomFrom(o.seed, 'oscillatingCircle: seed');
  const radii = [r - spacing, r, r + spacing];
  const labels = [0, 0.5, 1];
  const out: OscillatingCircleData = { x: [], y: [], curve: [], theta: [], radii, omega, alpha };
  for (let k = 0; k < 3; k++) {
    for (let i = 0; i < n; i++) {
      const theta = sampling === 'even' ? (2 * Math.PI * i) / n : 2 * Math.PI * rng.uniform();
      const rho = oscillatingRadius(theta, radii[k] as number, alpha, omega);
      out.x.push([rho * Math.cos(theta), rho * Math.sin(theta)]);
      out.y.push(labels[k] as number);
      out.curve.push(k);
      out.theta.push(theta);
    }
  }
  return out;
}
