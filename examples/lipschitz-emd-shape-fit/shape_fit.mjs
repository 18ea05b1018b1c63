// NEEMo shape fits (004 §4.4, eq. 4.7): a circle, an ellipse and N-prong jets fitted to point clouds from
// @nnphys/datasets' pointCloud. Each fit reports the fitted parameters next to the true ones, the NEEMo EMD
// (certified lower bound from the critic) and the exact EMD between the target and the fitted shape's points.
import { pointCloud } from '@nnphys/datasets';
import { CircleShape, EllipseShape, PointsShape, exactEMD, fitShape } from '@nnphys/lipschitz';
import * as tf from '@tensorflow/tfjs-core';

function sampled(shape) {
  const s = shape.sample();
  const out = { points: s.points.arraySync(), weights: Array.from(s.weights.dataSync()) };
  tf.dispose([s.points, s.weights]);
  return out;
}

const target = (cloud) => ({ points: cloud.points, weights: cloud.weights });

/** Circle: target centre (0.4, -0.2), radius 0.8, 64 points; start at the origin with radius 0.4. */
export async function circleFit({ iterations = 300, seed = 1 } = {}) {
  const cloud = pointCloud({ shape: 'circle', center: [0.4, -0.2], radius: 0.8, points: 64, sampling: 'even', seed });
  const shape = new CircleShape({ center: [0, 0], radius: 0.4 });
  const start = exactEMD(target(cloud), sampled(shape));
  const fit = await fitShape(target(cloud), shape, { iterations, criticSteps: 5, hidden: [32, 32], criticLearningRate: 0.01, shapeLearningRate: 0.005, finalCriticSteps: 200, seed: seed + 1 });
  const p = shape.parameters();
  const exact = exactEMD(target(cloud), sampled(shape));
  fit.critic.dispose();
  shape.dispose();
  return { true: cloud.params, fitted: p, startExactEMD: start, neemoEMD: fit.emd, exactEMD: exact, centerError: Math.hypot(p.center[0] - 0.4, p.center[1] + 0.2), radiusError: Math.abs(p.radius - 0.8) };
}

/** The ellipse's axis pair is unordered and its angle is defined modulo pi: compare in a canonical form. */
function canonicalEllipse(axes, angle) {
  let [a, b] = axes;
  let t = angle;
  if (b > a) {
    [a, b] = [b, a];
    t += Math.PI / 2;
  }
  t = ((t % Math.PI) + Math.PI) % Math.PI;
  return { axes: [a, b], angle: t };
}

const angleDistance = (u, v) => Math.min(Math.abs(u - v), Math.PI - Math.abs(u - v));

/** Ellipse: target centre (-0.3, 0.2), semi-axes (1, 0.5), angle 0.6; start: circle-like ellipse at the origin. */
export async function ellipseFit({ iterations = 400, seed = 2 } = {}) {
  const truth = { center: [-0.3, 0.2], semiAxes: [1, 0.5], angle: 0.6 };
  const cloud = pointCloud({ shape: 'ellipse', ...truth, points: 64, sampling: 'even', seed });
  const shape = new EllipseShape({ center: [0, 0], axes: [0.7, 0.6], angle: 0.2 });
  const start = exactEMD(target(cloud), sampled(shape));
  const fit = await fitShape(target(cloud), shape, { iterations, criticSteps: 5, hidden: [32, 32], criticLearningRate: 0.01, shapeLearningRate: 0.005, finalCriticSteps: 200, seed: seed + 1 });
  const p = shape.parameters();
  const c = canonicalEllipse(p.axes, p.angle);
  // EllipseShape spaces its points evenly in the parameter t, the target evenly in arc length: even the true
  // parameters leave a non-zero EMD, the floor of this fit.
  const trueShape = new EllipseShape({ center: truth.center, axes: truth.semiAxes, angle: truth.angle });
  const floor = exactEMD(target(cloud), sampled(trueShape));
  trueShape.dispose();
  const exact = exactEMD(target(cloud), sampled(shape));
  fit.critic.dispose();
  shape.dispose();
  return {
    true: truth,
    fitted: { center: p.center, axes: c.axes, angle: c.angle },
    startExactEMD: start,
    neemoEMD: fit.emd,
    exactEMD: exact,
    trueParameterExactEMD: floor,
    centerError: Math.hypot(p.center[0] - truth.center[0], p.center[1] - truth.center[1]),
    axesError: Math.max(Math.abs(c.axes[0] - 1), Math.abs(c.axes[1] - 0.5)),
    angleError: angleDistance(c.angle, 0.6),
  };
}

/**
 * N-prong jets (004 §4.4, Fig. 4.4): a jet with `prongs` centres and 10 Gaussian particles each; fitted with
 * N = 3, 4, 5 weighted points (PointsShape: positions and softmax weights), each from the same seeded start
 * (N points on a small ring). Expected: the EMD is lowest at the true N; at the true N the fitted points sit on
 * the true centres (mean distance after optimal matching).
 */
export async function jetFits({ prongs = 3, fits = [3, 4, 5], iterations = 800, criticSteps = 5, shapeLearningRate = 0.003, seed = 3 } = {}) {
  const cloud = pointCloud({ shape: 'jet', prongs, particlesPerProng: 10, spread: 0.05, jetRadius: 1, seed });
  const rows = [];
  for (const n of fits) {
    const start = Array.from({ length: n }, (_, k) => [0.3 * Math.cos((2 * Math.PI * k) / n + 0.1), 0.3 * Math.sin((2 * Math.PI * k) / n + 0.1)]);
    const shape = new PointsShape({ centers: start });
    const fit = await fitShape(target(cloud), shape, { iterations, criticSteps, hidden: [32, 32], criticLearningRate: 0.01, shapeLearningRate, finalCriticSteps: 200, seed: seed + n });
    const p = shape.parameters();
    const centers = Array.from({ length: n }, (_, k) => [p.centers[2 * k], p.centers[2 * k + 1]]);
    // EMD between the fitted prongs and the true prong centres (equal weights): how well the axes were found
    const axisEMD = exactEMD({ points: centers, weights: p.weights }, { points: cloud.params.centers, weights: cloud.params.centers.map(() => 1) });
    rows.push({ n, neemoEMD: fit.emd, exactEMD: exactEMD(target(cloud), { points: centers, weights: p.weights }), axisEMD, centers, weights: p.weights });
    fit.critic.dispose();
    shape.dispose();
  }
  return { prongs, trueCenters: cloud.params.centers, rows };
}
