import { initBackend } from '@nnphys/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { mergePointClouds, pointCloud } from '../src/index.js';
import { ksCritical001, ksStatistic, normalCdf } from './stats.js';

const sumOf = (w: number[]) => w.reduce((s, v) => s + v, 0);

/** Arc length of an ellipse from parametric angle 0 to t, by an independent trapezoid rule with 20k steps. */
function ellipseArc(a: number, b: number, t: number): number {
  const n = 20000;
  let s = 0;
  for (let i = 0; i < n; i++) {
    const u0 = (t * i) / n;
    const u1 = (t * (i + 1)) / n;
    s += ((u1 - u0) / 2) * (Math.hypot(a * Math.sin(u0), b * Math.cos(u0)) + Math.hypot(a * Math.sin(u1), b * Math.cos(u1)));
  }
  return s;
}

function distanceToSegment(p: number[], v: number[], w: number[]): number {
  const dx = w[0]! - v[0]!;
  const dy = w[1]! - v[1]!;
  const t = Math.max(0, Math.min(1, ((p[0]! - v[0]!) * dx + (p[1]! - v[1]!) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(p[0]! - v[0]! - t * dx, p[1]! - v[1]! - t * dy);
}

describe('pointCloud (004 §4.4 shapes)', () => {
  test('circle: points on the circle, uniform in angle, weights sum to 1', () => {
    const c = pointCloud({ shape: 'circle', points: 3000, center: [0.3, -0.2], radius: 0.7, seed: 1 });
    for (const p of c.points) expect(Math.hypot(p[0]! - 0.3, p[1]! + 0.2)).toBeCloseTo(0.7, 12);
    expect(sumOf(c.weights)).toBeCloseTo(1, 12);
    const f = c.points.map((p) => (Math.atan2(p[1]! + 0.2, p[0]! - 0.3) / (2 * Math.PI) + 1) % 1);
    expect(ksStatistic(f, (v) => v)).toBeLessThan(ksCritical001(f.length));
    expect(c.params.perimeter).toBeCloseTo(2 * Math.PI * 0.7, 12);
  });

  test('ellipse: points on the ellipse and uniform in arc length (checked by an independent quadrature)', () => {
    const [a, b, angle] = [1.2, 0.4, 0.5];
    const e = pointCloud({ shape: 'ellipse', points: 2000, center: [1, 2], semiAxes: [a, b], angle, seed: 2 });
    const P = ellipseArc(a, b, 2 * Math.PI);
    expect(e.params.perimeter).toBeCloseTo(P, 6);
    const fractions: number[] = [];
    for (const p of e.points) {
      // rotate back into the ellipse frame
      const dx = p[0]! - 1;
      const dy = p[1]! - 2;
      const x = Math.cos(angle) * dx + Math.sin(angle) * dy;
      const y = -Math.sin(angle) * dx + Math.cos(angle) * dy;
      expect((x / a) ** 2 + (y / b) ** 2).toBeCloseTo(1, 10);
      const t = (Math.atan2(y / b, x / a) + 2 * Math.PI) % (2 * Math.PI);
      fractions.push(ellipseArc(a, b, t) / P);
    }
    // arc-length fractions agree with the generator's own and are uniform
    fractions.forEach((f, i) => {
      expect(Math.abs(f - e.position[i]!)).toBeLessThan(1e-6);
    });
    expect(ksStatistic(fractions, (v) => v)).toBeLessThan(ksCritical001(fractions.length));
    // uniform in the parametric angle would be wrong for b << a: the KS test must reject it
    const angles = e.points.map((p) => {
      const dx = p[0]! - 1;
      const dy = p[1]! - 2;
      const x = Math.cos(angle) * dx + Math.sin(angle) * dy;
      const y = -Math.sin(angle) * dx + Math.cos(angle) * dy;
      return ((Math.atan2(y / b, x / a) + 2 * Math.PI) % (2 * Math.PI)) / (2 * Math.PI);
    });
    expect(ksStatistic(angles, (v) => v)).toBeGreaterThan(ksCritical001(angles.length));
  });

  test('triangle: points on the edges, each edge gets points in proportion to its length', () => {
    const vertices: [number, number][] = [[0, 0], [3, 0], [0, 4]];
    const t = pointCloud({ shape: 'triangle', points: 6000, vertices, seed: 3 });
    expect(t.params.perimeter).toBeCloseTo(12, 12);
    const counts = [0, 0, 0];
    for (const p of t.points) {
      const d = [0, 1, 2].map((i) => distanceToSegment(p, vertices[i]!, vertices[(i + 1) % 3]!));
      expect(Math.min(...d)).toBeLessThan(1e-12);
      counts[d.indexOf(Math.min(...d))]++;
    }
    // expected 3/12, 5/12, 4/12 of 6000: 1500, 2500, 2000 (+- 4 sigma, sigma <= 39)
    expect(Math.abs(counts[0]! - 1500)).toBeLessThan(160);
    expect(Math.abs(counts[1]! - 2500)).toBeLessThan(160);
    expect(Math.abs(counts[2]! - 2000)).toBeLessThan(160);
    expect(() => pointCloud({ shape: 'triangle', points: 3, vertices: [[0, 0], [1, 1], [2, 2]] })).toThrow(/collinear/);
  });

  test('even sampling is evenly spaced in arc length; drawn parameters are returned and reproducible', () => {
    const e = pointCloud({ shape: 'circle', points: 8, sampling: 'even', seed: 4 });
    e.position.forEach((f, i) => {
      expect(f).toBe(i / 8);
    });
    expect(e.params.radius).toBeGreaterThanOrEqual(0.25);
    expect(pointCloud({ shape: 'ellipse', points: 5, seed: 4 })).toEqual(pointCloud({ shape: 'ellipse', points: 5, seed: 4 }));
    expect(pointCloud({ shape: 'ellipse', points: 5, seed: 4 }).params).not.toEqual(pointCloud({ shape: 'ellipse', points: 5, seed: 5 }).params);
    const tri = pointCloud({ shape: 'triangle', points: 5, seed: 4 });
    expect(tri.params.vertices?.length).toBe(3);
  });

  test('N-prong jets: N centres in the unit disc, 10 Gaussian particles each', () => {
    for (const prongs of [3, 4, 5]) {
      const j = pointCloud({ shape: 'jet', prongs, seed: prongs, spread: 0.05 });
      expect(j.points.length).toBe(10 * prongs);
      expect(j.params.centers?.length).toBe(prongs);
      for (const c of j.params.centers ?? []) expect(Math.hypot(c[0], c[1])).toBeLessThanOrEqual(1);
      expect(sumOf(j.weights)).toBeCloseTo(1, 12);
    }
    // offsets from the centres are N(0, spread^2)
    const j = pointCloud({ shape: 'jet', prongs: 5, particlesPerProng: 1000, spread: 0.2, seed: 9 });
    const off = j.points.flatMap((p, i) => {
      const c = j.params.centers![j.position[i]!]!;
      return [p[0]! - c[0], p[1]! - c[1]];
    });
    expect(ksStatistic(off, (v) => normalCdf(v, 0, 0.2))).toBeLessThan(ksCritical001(off.length));
    expect(() => pointCloud({ shape: 'jet', prongs: 3, points: 7 })).toThrow(/prongs \* particlesPerProng = 30/);
  });

  test('mergePointClouds gives each cloud its share of the total weight', () => {
    const a = pointCloud({ shape: 'circle', points: 10, seed: 1 });
    const b = pointCloud({ shape: 'ellipse', points: 30, seed: 2, totalWeight: 5 });
    const m = mergePointClouds([a, b], [1, 3]);
    expect(m.points.length).toBe(40);
    expect(sumOf(m.weights.slice(0, 10))).toBeCloseTo(0.25, 12);
    expect(sumOf(m.weights.slice(10))).toBeCloseTo(0.75, 12);
    expect(() => mergePointClouds([a], [1, 2])).toThrow(/one entry per cloud/);
    expect(() => pointCloud({ shape: 'square' as never, points: 4 })).toThrow(/shape must be one of/);
    expect(() => pointCloud({ shape: 'circle', points: 4, radius: -1 })).toThrow(/radius must be a finite number in \(0, Infinity\]/);
  });
});

describe.each(['cpu', 'wasm'] as const)('on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  test('no tensors; float32 centroid of an evenly sampled circle is its centre', () => {
    const before = tf.memory().numTensors;
    const c = pointCloud({ shape: 'circle', points: 64, center: [0.5, -0.25], radius: 0.8, sampling: 'even' });
    expect(tf.memory().numTensors).toBe(before);
    const centroid = tf.tidy(() => tf.sum(tf.mul(tf.tensor2d(c.points), tf.tensor2d(c.weights, [64, 1])), 0).arraySync() as number[]);
    expect(centroid[0]).toBeCloseTo(0.5, 5);
    expect(centroid[1]).toBeCloseTo(-0.25, 5);
    expect(tf.memory().numTensors).toBe(before);
  });
});
