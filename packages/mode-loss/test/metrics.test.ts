import { NnphysError, Random } from '@nnphys/core';
import { describe, expect, test } from 'vitest';
import { auc, falsePositiveRateByBin, inverseJSD, jensenShannonBits, rejectionAtEfficiency, rocCurve, thresholdAtEfficiency } from '../src/index.js';

/** Deterministic quantile samples of Exp(rate): no sampling noise, only the 1/N discretisation. */
function expQuantiles(n: number, rate: number): number[] {
  return Array.from({ length: n }, (_, i) => -Math.log(1 - (i + 0.5) / n) / rate);
}

describe('ROC, AUC and rejection', () => {
  test('AUC equals the weighted pair count with ties counted ½, and the trapezoid area of the ROC curve', () => {
    const r = new Random(1);
    const n = 300;
    const scores = Array.from({ length: n }, () => Math.round(r.uniform() * 20) / 20); // many ties
    const labels = Array.from({ length: n }, () => (r.uniform() < 0.4 ? 1 : 0));
    const weights = Array.from({ length: n }, () => r.uniformIn(0.1, 2));
    let num = 0;
    let den = 0;
    for (let i = 0; i < n; i++) {
      for (let j = 0; j < n; j++) {
        if (labels[i] !== 1 || labels[j] !== 0) continue;
        const w = weights[i]! * weights[j]!;
        den += w;
        num += w * (scores[i]! > scores[j]! ? 1 : scores[i] === scores[j] ? 0.5 : 0);
      }
    }
    const a = auc(scores, labels, { weights });
    expect(a).toBeCloseTo(num / den, 12);
    const roc = rocCurve(scores, labels, { weights });
    expect(roc.fpr[0]).toBe(0);
    expect(roc.tpr[0]).toBe(0);
    expect(roc.fpr.at(-1)).toBeCloseTo(1, 12);
    expect(roc.tpr.at(-1)).toBeCloseTo(1, 12);
    let area = 0;
    for (let k = 1; k < roc.fpr.length; k++) {
      expect(roc.fpr[k]!).toBeGreaterThanOrEqual(roc.fpr[k - 1]!);
      expect(roc.tpr[k]!).toBeGreaterThanOrEqual(roc.tpr[k - 1]!);
      area += ((roc.fpr[k]! - roc.fpr[k - 1]!) * (roc.tpr[k]! + roc.tpr[k - 1]!)) / 2;
    }
    expect(area).toBeCloseTo(a, 12);
  });

  test('analytically known ROC: background Exp(1), signal Exp(1/2)', () => {
    // FPR(t) = e^{-t}, TPR(t) = e^{-t/2}: FPR = TPR², so R(ε) = 1/ε², and AUC = 1/(1 + ½) = 2/3.
    const N = 20000;
    const scores = [...expQuantiles(N, 0.5), ...expQuantiles(N, 1)];
    const labels = [...new Array<number>(N).fill(1), ...new Array<number>(N).fill(0)];
    // Quantile samples: FPR is off by at most a few events out of N at these thresholds.
    expect(rejectionAtEfficiency(scores, labels, 0.5)).toBeCloseTo(4, 1);
    expect(rejectionAtEfficiency(scores, labels, 0.2)).toBeCloseTo(25, 0);
    expect(Math.abs(rejectionAtEfficiency(scores, labels, 0.2) / 25 - 1)).toBeLessThan(5e-3);
    expect(auc(scores, labels)).toBeCloseTo(2 / 3, 4);
  });

  test('the threshold keeps at least the requested signal fraction, the highest such threshold', () => {
    const scores = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 0.5, 9.5];
    const labels = [1, 1, 1, 1, 1, 1, 1, 1, 1, 1, 0, 0];
    expect(thresholdAtEfficiency(scores, labels, 0.5)).toBe(6);
    expect(thresholdAtEfficiency(scores, labels, 0.55)).toBe(5);
    expect(thresholdAtEfficiency(scores, labels, 1)).toBe(1);
    expect(rejectionAtEfficiency(scores, labels, 0.5)).toBe(2); // only 9.5 passes s >= 6
    expect(rejectionAtEfficiency(scores, labels, 0.1)).toBe(Number.POSITIVE_INFINITY);
    // Weights move the threshold: the top signal event carries half the signal weight.
    expect(thresholdAtEfficiency(scores, labels, 0.5, { weights: [1, 1, 1, 1, 1, 1, 1, 1, 1, 9, 1, 1] })).toBe(10);
  });
});

describe('mass sculpting metrics', () => {
  test('FPR per mass bin on a constructed sample', () => {
    // 4 mass bins; in bin b the background scores are (k + b)/10 for k = 0..9. Signal scores 0.45 and 0.75:
    // 50% efficiency keeps s >= 0.75, so bin b passes the scores >= 0.75, i.e. k >= 7.5 - b: 2, 3, 4, 5 of 10.
    const scores: number[] = [];
    const mass: number[] = [];
    const labels: number[] = [];
    for (let b = 0; b < 4; b++) {
      for (let k = 0; k < 10; k++) {
        scores.push((k + b) / 10);
        mass.push(b + 0.5);
        labels.push(0);
      }
    }
    scores.push(0.45, 0.75);
    mass.push(1, 2);
    labels.push(1, 1);
    const fpr = falsePositiveRateByBin(scores, mass, labels, 0.5, [0, 1, 2, 3, 4]);
    expect(fpr).toEqual([0.2, 0.3, 0.4, 0.5]);
    // A count of equal-width bins spans the background masses (0.5 .. 3.5).
    expect(falsePositiveRateByBin(scores, mass, labels, 0.5, 4)).toEqual([0.2, 0.3, 0.4, 0.5]);
    // Empty bins are NaN, not 0.
    expect(falsePositiveRateByBin(scores, mass, labels, 0.5, [0, 1, 2, 3, 4, 5])[4]).toBeNaN();
  });

  test('Jensen-Shannon divergence in bits: symmetric, 0 for equal shapes, 1 for disjoint supports, the direct formula otherwise', () => {
    const p = [1, 4, 2, 0, 3];
    const q = [2, 1, 1, 5, 1];
    expect(jensenShannonBits(p, q)).toBeCloseTo(jensenShannonBits(q, p), 15);
    expect(jensenShannonBits(p, p.map((v) => 3 * v))).toBe(0);
    expect(jensenShannonBits([1, 1, 0, 0], [0, 0, 2, 5])).toBe(1);
    const P = p.map((v) => v / 10);
    const Q = q.map((v) => v / 10);
    let direct = 0;
    for (let i = 0; i < 5; i++) {
      const m = (P[i]! + Q[i]!) / 2;
      if (P[i]! > 0) direct += 0.5 * P[i]! * Math.log2(P[i]! / m);
      if (Q[i]! > 0) direct += 0.5 * Q[i]! * Math.log2(Q[i]! / m);
    }
    expect(jensenShannonBits(p, q)).toBeCloseTo(direct, 15);
  });

  test('inverse JSD: infinite when the selection does not sculpt, 1 when pass and fail are disjoint in mass', () => {
    // Scores independent of mass, every mass bin with the same score list: pass and fail histograms are proportional.
    const scores: number[] = [];
    const mass: number[] = [];
    const labels: number[] = [];
    for (let b = 0; b < 5; b++) {
      for (let k = 0; k < 8; k++) {
        scores.push(k / 8);
        mass.push(b + 0.5);
        labels.push(0);
      }
    }
    scores.push(0.7, 0.2);
    mass.push(1, 1);
    labels.push(1, 1);
    expect(inverseJSD(scores, mass, labels, 0.5, [0, 1, 2, 3, 4, 5])).toBe(Number.POSITIVE_INFINITY);
    // Sculpted completely: background passes only in the highest mass bin.
    const sculpted = scores.map((s, i) => (labels[i] === 1 ? s : mass[i]! > 4 ? 0.9 : 0.1));
    expect(inverseJSD(sculpted, mass, labels, 0.5, [0, 1, 2, 3, 4, 5])).toBeCloseTo(1, 12);
  });

  test('bad inputs throw NnphysError', () => {
    expect(() => auc([0.1, 0.2], [0, 1, 1])).toThrow(/labels must have the same length as scores \(2\), got length 3/);
    expect(() => auc([0.1, 0.2], [0, 2])).toThrow(/labels\[1\] must be 0 \(background\) or 1 \(signal\), got 2/);
    expect(() => auc([0.1, 0.2], [0, 0])).toThrow(/no signal events/);
    expect(() => auc([0.1, Number.NaN], [0, 1])).toThrow(/scores\[1\] must be a finite number, got NaN/);
    expect(() => rejectionAtEfficiency([0.1, 0.2], [0, 1], 0)).toThrow(/efficiency must be a number in \(0, 1\], got 0/);
    expect(() => rejectionAtEfficiency([0.1, 0.2], [0, 1], 0.5, { weights: [1, -1] })).toThrow(/weights\[1\] must be >= 0, got -1/);
    expect(() => falsePositiveRateByBin([0.1, 0.2], [1, 2], [0, 1], 0.5, [0, 2, 1])).toThrow(/strictly ascending/);
    expect(() => falsePositiveRateByBin([0.1, 0.2], [1], [0, 1], 0.5, 3)).toThrow(/mass must have the same length as scores \(2\)/);
    expect(() => inverseJSD([0.1, 0.2], [1, 2], [0, 1], 0.5, 0)).toThrow(/bins must be a positive integer or an array of edges, got 0/);
    expect(() => inverseJSD([0.9, 0.2], [1, 2], [0, 1], 0.5, 2)).toThrow(/every background event passes/);
    expect(() => jensenShannonBits([0, 0], [1, 1])).toThrow(NnphysError);
  });
});
