// NEEMo (004 eq. 4.7) fits of an ellipse and of N-prong jets to @nnphys/datasets point clouds.
import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@nnphys/core';
import { pointCloud } from '@nnphys/datasets';
import { beforeAll, describe, expect, test } from 'vitest';
import { EllipseShape, PointsShape, type Shape, exactEMD, fitShape } from '../src/index.js';
import { backends } from './helpers.js';

function sampled(shape: Shape): { points: number[][]; weights: number[] } {
  const s = shape.sample();
  const out = { points: s.points.arraySync() as number[][], weights: Array.from(s.weights.dataSync()) };
  tf.dispose([s.points, s.weights]);
  return out;
}

describe.each(backends)('NEEMo shape fits on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('ellipse: centre, semi-axes and angle move onto the target; NEEMo <= exact EMD', async () => {
    const cloud = pointCloud({ shape: 'ellipse', center: [-0.3, 0.2], semiAxes: [1, 0.5], angle: 0.6, points: 48, sampling: 'even', seed: 2 });
    const target = { points: cloud.points, weights: cloud.weights };
    const shape = new EllipseShape({ center: [0, 0], axes: [0.7, 0.6], angle: 0.2, points: 48 });
    const start = exactEMD(target, sampled(shape));
    const before = tf.memory().numTensors;
    const fit = await fitShape(target, shape, { iterations: 300, criticSteps: 5, hidden: [32, 32], criticLearningRate: 0.01, shapeLearningRate: 0.005, finalCriticSteps: 100, seed: 3 });
    const p = shape.parameters();
    const end = exactEMD(target, sampled(shape));
    // canonical form: a >= b, angle modulo pi
    let [a, b] = p.axes as [number, number];
    let angle = p.angle;
    if (b > a) {
      [a, b] = [b, a];
      angle += Math.PI / 2;
    }
    angle = ((angle % Math.PI) + Math.PI) % Math.PI;
    const centerError = Math.hypot((p.center[0] as number) + 0.3, (p.center[1] as number) - 0.2);
    console.log(
      `[${backend}] ellipse: centre (${p.center.map((v) => v.toFixed(3)).join(', ')}), axes (${a.toFixed(3)}, ${b.toFixed(3)}), angle ${angle.toFixed(3)}; exact EMD ${start.toFixed(4)} -> ${end.toFixed(4)}, NEEMo ${fit.emd.toFixed(4)}`,
    );
    // The min-max oscillates around the optimum (004 §4.3) and the shape's points are spaced in the parameter,
    // the target's in arc length, so the optimum is not exactly the true ellipse: allow 0.15 in centre, 0.2 in the
    // axes and 0.2 rad in the angle. Where it stops depends on the rounding path: with the fused critic kernels,
    // critic seeds 3-6 end with the major axis in [0.85, 1.05] and the centre within 0.09 on both backends
    // (seed 3 here: centre 0.066 / 0.078, axes 0.130 / 0.150, on cpu / wasm; 0.042 / 0.113 layer-wise before).
    expect(centerError).toBeLessThan(0.15);
    expect(Math.abs(a - 1)).toBeLessThan(0.2);
    expect(Math.abs(b - 0.5)).toBeLessThan(0.2);
    expect(Math.min(Math.abs(angle - 0.6), Math.PI - Math.abs(angle - 0.6))).toBeLessThan(0.2);
    expect(end).toBeLessThan(start / 2);
    expect(fit.emd).toBeLessThanOrEqual(end + 1e-4);
    fit.critic.dispose();
    expect(tf.memory().numTensors).toBe(before);
    shape.dispose();
  });

  test('N-prong jet: the EMD drops until N reaches the true number of prongs; the fitted axes find the prongs', async () => {
    const cloud = pointCloud({ shape: 'jet', prongs: 3, particlesPerProng: 10, spread: 0.05, jetRadius: 1, seed: 3 });
    const target = { points: cloud.points, weights: cloud.weights };
    const centers = cloud.params.centers as [number, number][];
    const result: Record<number, { exact: number; neemo: number; axes: number }> = {};
    for (const n of [2, 3]) {
      const start = Array.from({ length: n }, (_, k) => [0.3 * Math.cos((2 * Math.PI * k) / n + 0.1), 0.3 * Math.sin((2 * Math.PI * k) / n + 0.1)]);
      const shape = new PointsShape({ centers: start });
      const fit = await fitShape(target, shape, { iterations: 300, criticSteps: 5, hidden: [32, 32], criticLearningRate: 0.01, shapeLearningRate: 0.006, finalCriticSteps: 100, seed: 3 + n });
      const s = sampled(shape);
      result[n] = { exact: exactEMD(target, s), neemo: fit.emd, axes: exactEMD(s, { points: centers, weights: centers.map(() => 1) }) };
      fit.critic.dispose();
      shape.dispose();
    }
    const r2 = result[2] as { exact: number; neemo: number; axes: number };
    const r3 = result[3] as { exact: number; neemo: number; axes: number };
    console.log(`[${backend}] jet: N=2 exact ${r2.exact.toFixed(4)} NEEMo ${r2.neemo.toFixed(4)}; N=3 exact ${r3.exact.toFixed(4)} NEEMo ${r3.neemo.toFixed(4)}, axes-to-centres EMD ${r3.axes.toFixed(4)}`);
    // Two points must leave a whole prong (1/3 of the energy) to be carried >= 0.5 (the prong separation here),
    // three points need not: the N = 3 EMD is clearly lower.
    expect(r3.exact).toBeLessThan(r2.exact);
    expect(r2.neemo).toBeLessThanOrEqual(r2.exact + 1e-4);
    expect(r3.neemo).toBeLessThanOrEqual(r3.exact + 1e-4);
    // every fitted axis on its own prong: mean distance after optimal matching < 0.2 (< half the separation;
    // measured 0.168 / 0.123 on cpu / wasm)
    expect(r3.axes).toBeLessThan(0.2);
  });
});
