import * as tf from '@tensorflow/tfjs-core';
import { assertPositiveInteger, assertPositiveNumber, FusedAdam, NnphysError, resolveRandom } from '@nnphys/core';
import type { LipschitzNetwork } from '../networks/lipschitz_network.js';
import { krObjective } from './kr_objective.js';
import { type CriticOptions, certifiedDualValue, checkCritic, makeCritic } from './estimate_emd.js';
import { Shape } from './shapes.js';
import { type WeightedPoints, normalizePoints } from './weighted_points.js';

export interface FitShapeOptions extends CriticOptions {
  /** Outer iterations (default 300). */
  iterations?: number;
  /** Critic ascent steps per iteration (default 5). */
  criticSteps?: number;
  /** Shape descent steps per iteration (default 1). */
  shapeSteps?: number;
  /** Adam learning rates (defaults 5e-3 critic, 1e-2 shape). */
  criticLearningRate?: number;
  /**
   * The shape's rate, or a schedule `(iteration) => rate`: a min-max fit with a constant rate keeps circling the
   * optimum at a distance set by the rate; decaying it (e.g. cosine to a tenth) settles the shape.
   */
  shapeLearningRate?: number | ((iteration: number) => number);
  /** Critic-only steps on the final shape before the reported estimate (default 300). */
  finalCriticSteps?: number;
  /** Warm-start critic (not disposed). */
  critic?: LipschitzNetwork;
  /** Called after every iteration with the current dual objective. */
  onIteration?: (iteration: number, objective: number) => void;
}

export interface ShapeFit {
  /** EMD lower bound between the target and the fitted shape (exact expectations, float64, after finalCriticSteps). */
  emd: number;
  parameters: Record<string, unknown>;
  /** Dual objective after each iteration (float32). */
  history: number[];
  critic: LipschitzNetwork;
  /** Total critic steps taken (an under-trained critic biases the EMD low; 004 §4.3). */
  criticStepsTotal: number;
}

/**
 * NEEMo shape fitting (004 eq. 4.7): O(Q) = min_theta max_phi
 * [sum_i E_i f_phi(x_i) - sum_j w_theta^j f_phi(y_theta^j)], by alternating
 * `criticSteps` ascent steps on the critic with `shapeSteps` descent steps on
 * the shape parameters (gradients flow through the critic into the points
 * and weights of the shape). The shape's variables are updated in place.
 */
export async function fitShape(target: WeightedPoints, shape: Shape, options: FitShapeOptions = {}): Promise<ShapeFit> {
  const fn = 'fitShape';
  const t = normalizePoints(target, `${fn}: target`);
  if (!(shape instanceof Shape)) throw new NnphysError(`${fn}: shape must be a Shape (CircleShape, EllipseShape, PointsShape, ShapeMixture)`);
  if (shape.dim !== t.dim) throw new NnphysError(`${fn}: the shape has dimension ${shape.dim} but the target points have ${t.dim}`);
  const iterations = options.iterations ?? 300;
  const criticSteps = options.criticSteps ?? 5;
  const shapeSteps = options.shapeSteps ?? 1;
  const finalCriticSteps = options.finalCriticSteps ?? 300;
  assertPositiveInteger(iterations, `${fn}: iterations`);
  assertPositiveInteger(criticSteps, `${fn}: criticSteps`);
  assertPositiveInteger(shapeSteps, `${fn}: shapeSteps`);
  if (!Number.isInteger(finalCriticSteps) || finalCriticSteps < 0) throw new NnphysError(`${fn}: finalCriticSteps must be a non-negative integer, got ${finalCriticSteps}`);
  const criticLr = options.criticLearningRate ?? 5e-3;
  const shapeRate = options.shapeLearningRate ?? 1e-2;
  const shapeLrAt = (it: number): number => {
    const lr = typeof shapeRate === 'function' ? shapeRate(it) : shapeRate;
    assertPositiveNumber(lr, typeof shapeRate === 'function' ? `${fn}: shapeLearningRate(${it})` : `${fn}: shapeLearningRate`);
    return lr;
  };
  assertPositiveNumber(criticLr, `${fn}: criticLearningRate`);
  const shapeLr = shapeLrAt(0);
  const norm = options.p ?? 2;
  const rng = resolveRandom(options.seed);
  if (options.critic) checkCritic(options.critic, t.dim, norm, fn);
  const critic = options.critic ?? makeCritic(t.dim, { ...options, p: norm, seed: rng });
  const x = tf.tensor2d(t.points);
  const a = tf.tensor1d(Float32Array.from(t.weights));
  const criticOpt = tf.train.adam(criticLr);
  // A schedule needs an optimizer whose rate can change between steps: core's FusedAdam (same update as tf.train.adam).
  const shapeOpt = typeof shapeRate === 'function' ? new FusedAdam({ learningRate: shapeLr }) : tf.train.adam(shapeLr);
  const criticVars = critic.trainableVariables();
  const shapeVars = shape.trainableVariables();
  if (shapeVars.length === 0) throw new NnphysError(`${fn}: the shape has no trainable variables`);
  const history: number[] = [];
  let criticStepsTotal = 0;
  const objective = () =>
    tf.tidy(() => {
      const { points, weights } = shape.sample();
      return krObjective(critic, x, a, points, weights);
    });
  const criticStep = () => {
    const cost = criticOpt.minimize(() => tf.neg(objective()), true, criticVars);
    criticStepsTotal++;
    return cost;
  };
  try {
    for (let it = 0; it < iterations; it++) {
      for (let s = 0; s < criticSteps; s++) criticStep()?.dispose();
      let last = 0;
      if (shapeOpt instanceof FusedAdam) shapeOpt.learningRate = shapeLrAt(it);
      for (let s = 0; s < shapeSteps; s++) {
        const cost = shapeOpt.minimize(objective, true, shapeVars);
        last = cost?.dataSync()[0] as number;
        cost?.dispose();
      }
      history.push(last);
      options.onIteration?.(it, last);
    }
    for (let s = 0; s < finalCriticSteps; s++) criticStep()?.dispose();
    const sampled = tf.tidy(() => {
      const { points, weights } = shape.sample();
      return { points: points.arraySync() as number[][], weights: Array.from(weights.dataSync()) };
    });
    const q = normalizePoints(sampled, `${fn}: shape sample`);
    const { value } = certifiedDualValue(critic, t, q);
    return { emd: value, parameters: shape.parameters(), history, critic, criticStepsTotal };
  } catch (error) {
    if (!options.critic) critic.dispose();
    throw error;
  } finally {
    x.dispose();
    a.dispose();
    criticOpt.dispose();
    shapeOpt.dispose();
  }
}
