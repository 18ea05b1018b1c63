import { initBackend } from '@nnphys/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { resonanceToy, resonanceX2 } from '../src/index.js';
import { ksCritical001, ksStatistic, normalCdf } from './stats.js';

const clip01 = (v: number) => Math.min(1, Math.max(0, v));
const clamp = (m: number) => Math.min(1, Math.max(-1, m));

describe('resonanceToy (004 §3.3.1, eqs. 3.23-3.25)', () => {
  const d = resonanceToy({ samples: 40000, seed: 11 });
  const pick = <T>(arr: T[], kinds: number[]) => arr.filter((_, i) => kinds.includes(d.source[i] as number));

  test('class counts: half signal, background split evenly between the two types', () => {
    expect(d.y.filter((v) => v === 1).length).toBe(20000);
    expect(d.source.filter((s) => s === 2).length).toBe(10000);
    expect(d.source.filter((s) => s === 3).length).toBe(10000);
    d.source.forEach((s, i) => {
      expect(d.y[i]).toBe(s < 2 ? 1 : 0);
    });
    // the signal mass shape is a fair coin: 10000 +- 4 sigma (sigma = 70.7)
    expect(Math.abs(d.source.filter((s) => s === 0).length - 10000)).toBeLessThan(283);
  });

  test('background masses follow densities (1 - m)/2 and (1 + m)/2 (KS against the analytic CDFs)', () => {
    const m1 = pick(d.mass, [2]);
    const m2 = pick(d.mass, [3]);
    expect(m1.every((m) => m >= -1 && m <= 1)).toBe(true);
    // F1(m) = 1 - ((1 - m)/2)^2 is the integral of (1 - t)/2 from -1; F2(m) = ((1 + m)/2)^2
    expect(ksStatistic(m1, (m) => 1 - ((1 - clamp(m)) / 2) ** 2)).toBeLessThan(ksCritical001(m1.length));
    expect(ksStatistic(m2, (m) => ((1 + clamp(m)) / 2) ** 2)).toBeLessThan(ksCritical001(m2.length));
    // and a wrong pairing (type 1 with the type 2 density) is rejected by the same test
    expect(ksStatistic(m1, (m) => ((1 + clamp(m)) / 2) ** 2)).toBeGreaterThan(0.3);
  });

  test('signal mass is the equal mixture of N(0.2, 0.1) and U(-1, 1)', () => {
    const ms = pick(d.mass, [0, 1]);
    const cdf = (m: number) => 0.5 * normalCdf(m, 0.2, 0.1) + 0.5 * clip01((m + 1) / 2);
    expect(ksStatistic(ms, cdf)).toBeLessThan(ksCritical001(ms.length));
    expect(ksStatistic(pick(d.mass, [0]), (m) => normalCdf(m, 0.2, 0.1))).toBeLessThan(ksCritical001(10000));
  });

  test('x1 per source follows N(1,1), N(0,1), N(-4,1)', () => {
    const x1 = d.x.map((r) => r[0] as number);
    expect(ksStatistic(pick(x1, [0, 1]), (v) => normalCdf(v, 1, 1))).toBeLessThan(ksCritical001(20000));
    expect(ksStatistic(pick(x1, [2]), (v) => normalCdf(v, 0, 1))).toBeLessThan(ksCritical001(10000));
    expect(ksStatistic(pick(x1, [3]), (v) => normalCdf(v, -4, 1))).toBeLessThan(ksCritical001(10000));
  });

  test('x2 is the stated function of the mass for each variant', () => {
    d.x.forEach((r, i) => {
      expect(r[1]).toBe(Math.exp(-((d.mass[i]! - 0.2) ** 2) / (2 * 0.1 ** 2)));
    });
    for (const x2 of ['gaussianFirstPrinting', 'expPlus2m'] as const) {
      const e = resonanceToy({ samples: 200, seed: 11, x2 });
      e.x.forEach((r, i) => {
        expect(r[1]).toBe(resonanceX2(e.mass[i]!, x2));
      });
      // same seed, same masses whichever x2 is used
      expect(e.mass).toEqual(resonanceToy({ samples: 200, seed: 11 }).mass);
    }
    expect(resonanceX2(0.2)).toBe(1);
    expect(resonanceX2(0.3)).toBeCloseTo(Math.exp(-0.5), 15);
    expect(resonanceX2(1.2, 'gaussianFirstPrinting')).toBeCloseTo(Math.exp(-0.5), 15);
    expect(resonanceX2(0, 'expPlus2m')).toBe(1);
  });

  test('deterministic, seed-dependent, validated', () => {
    expect(resonanceToy({ samples: 100, seed: 1 })).toEqual(resonanceToy({ samples: 100, seed: 1 }));
    expect(resonanceToy({ samples: 100, seed: 1 }).mass).not.toEqual(resonanceToy({ samples: 100, seed: 2 }).mass);
    expect(() => resonanceToy({ samples: 10, x2: 'linear' as never })).toThrow(/resonanceToy: x2 must be one of/);
    expect(() => resonanceToy({ samples: 10, signalFraction: 1.5 })).toThrow(/signalFraction must be a finite number in \[0, 1\], got 1.5/);
  });
});

describe.each(['cpu', 'wasm'] as const)('on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  test('no tensors; float32 means of x1 per class match the model within 4 sigma', () => {
    const before = tf.memory().numTensors;
    const d = resonanceToy({ samples: 4000, seed: 3 });
    expect(tf.memory().numTensors).toBe(before);
    const meanSignal = tf.tidy(() => tf.mean(tf.tensor1d(d.x.filter((_, i) => d.y[i] === 1).map((r) => r[0]!))).dataSync()[0]!);
    // 2000 signal samples, sd 1: sigma of the mean 0.022
    expect(Math.abs(meanSignal - 1)).toBeLessThan(0.09);
    expect(tf.memory().numTensors).toBe(before);
  });
});
