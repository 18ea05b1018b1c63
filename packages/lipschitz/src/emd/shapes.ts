import * as tf from '@tensorflow/tfjs-core';
import { Module, NnphysError, assertMatrix, assertNumberArray, assertPositiveInteger, assertPositiveNumber } from '@nnphys/core';

/** A differentiable parameterised point set P_theta = {(w_theta^i, y_theta^i)} (004 §4.3). */
export abstract class Shape extends Module {
  /** Dimension of the points. */
  abstract readonly dim: number;
  /** The current points [m, dim] and weights [m] (summing to 1), differentiable in the shape's variables. */
  abstract sample(): { points: tf.Tensor2D; weights: tf.Tensor1D };
  /** The current parameters as plain numbers. */
  abstract parameters(): Record<string, unknown>;

  apply(): { points: tf.Tensor2D; weights: tf.Tensor1D } {
    return this.sample();
  }
}

function ringAngles(points: number): Float32Array {
  return Float32Array.from({ length: points }, (_, k) => (2 * Math.PI * k) / points);
}

export interface CircleOptions {
  center: [number, number];
  radius: number;
  /** Points on the perimeter, equally spaced in angle, equal weights (default 64). */
  points?: number;
}

/** A circle (centre, radius) as equally spaced, equally weighted points on its perimeter. */
export class CircleShape extends Shape {
  readonly dim = 2;
  readonly center: tf.Variable;
  readonly radius: tf.Variable;
  private readonly cos: tf.Tensor2D;
  private readonly sin: tf.Tensor2D;
  readonly count: number;

  constructor(options: CircleOptions) {
    super();
    assertNumberArray(options?.center, 'CircleShape: center', 2);
    assertPositiveNumber(options.radius, 'CircleShape: radius');
    this.count = options.points ?? 64;
    assertPositiveInteger(this.count, 'CircleShape: points');
    this.center = this.addVariable('center', tf.tensor2d([options.center], [1, 2]));
    this.radius = this.addVariable('radius', tf.scalar(options.radius));
    const phi = ringAngles(this.count);
    this.cos = tf.tensor2d(phi.map(Math.cos), [this.count, 1]);
    this.sin = tf.tensor2d(phi.map(Math.sin), [this.count, 1]);
  }

  sample(): { points: tf.Tensor2D; weights: tf.Tensor1D } {
    return tf.tidy(() => ({
      points: tf.add(this.center, tf.mul(this.radius, tf.concat([this.cos, this.sin], 1))) as tf.Tensor2D,
      weights: tf.fill([this.count], 1 / this.count) as tf.Tensor1D,
    }));
  }

  parameters(): { center: number[]; radius: number } {
    return { center: Array.from(this.center.dataSync()), radius: Math.abs(this.radius.dataSync()[0] as number) };
  }

  override dispose(): void {
    this.cos.dispose();
    this.sin.dispose();
    super.dispose();
  }
}

export interface EllipseOptions {
  center: [number, number];
  /** Semi-axes [a, b]. */
  axes: [number, number];
  /** Rotation of the a axis from the x axis, radians (default 0). */
  angle?: number;
  /** Points equally spaced in the parametric angle, equal weights (default 64). */
  points?: number;
}

/** An ellipse c + R(angle) (a cos t, b sin t), t equally spaced (uniform in the parameter, not in arc length). */
export class EllipseShape extends Shape {
  readonly dim = 2;
  readonly center: tf.Variable;
  readonly axes: tf.Variable;
  readonly angle: tf.Variable;
  private readonly cos: tf.Tensor1D;
  private readonly sin: tf.Tensor1D;
  readonly count: number;

  constructor(options: EllipseOptions) {
    super();
    assertNumberArray(options?.center, 'EllipseShape: center', 2);
    assertNumberArray(options.axes, 'EllipseShape: axes', 2);
    for (const [i, v] of options.axes.entries()) assertPositiveNumber(v, `EllipseShape: axes[${i}]`);
    this.count = options.points ?? 64;
    assertPositiveInteger(this.count, 'EllipseShape: points');
    this.center = this.addVariable('center', tf.tensor1d(options.center));
    this.axes = this.addVariable('axes', tf.tensor1d(options.axes));
    this.angle = this.addVariable('angle', tf.scalar(options.angle ?? 0));
    const t = ringAngles(this.count);
    this.cos = tf.tensor1d(t.map(Math.cos));
    this.sin = tf.tensor1d(t.map(Math.sin));
  }

  sample(): { points: tf.Tensor2D; weights: tf.Tensor1D } {
    return tf.tidy(() => {
      const [a, b] = tf.unstack(this.axes) as [tf.Scalar, tf.Scalar];
      const ca = tf.cos(this.angle);
      const sa = tf.sin(this.angle);
      const u = tf.mul(a, this.cos);
      const v = tf.mul(b, this.sin);
      const [cx, cy] = tf.unstack(this.center) as [tf.Scalar, tf.Scalar];
      const px = tf.add(cx, tf.sub(tf.mul(u, ca), tf.mul(v, sa)));
      const py = tf.add(cy, tf.add(tf.mul(u, sa), tf.mul(v, ca)));
      return { points: tf.stack([px, py], 1) as tf.Tensor2D, weights: tf.fill([this.count], 1 / this.count) as tf.Tensor1D };
    });
  }

  parameters(): { center: number[]; axes: number[]; angle: number } {
    return { center: Array.from(this.center.dataSync()), axes: Array.from(this.axes.dataSync(), Math.abs), angle: this.angle.dataSync()[0] as number };
  }

  override dispose(): void {
    this.cos.dispose();
    this.sin.dispose();
    super.dispose();
  }
}

export interface PointsShapeOptions {
  /** Initial positions [N, dim] (e.g. N subjet axes). */
  centers: number[][];
  /** Learn the weights (softmax of logits; default true) or keep them equal. */
  learnWeights?: boolean;
}

/** N weighted points (N-subjettiness-style "N-prong" fits): centres and softmax weights. */
export class PointsShape extends Shape {
  readonly dim: number;
  readonly centers: tf.Variable;
  readonly logits: tf.Variable;

  constructor(options: PointsShapeOptions) {
    super();
    const [n, d] = assertMatrix(options?.centers, 'PointsShape: centers');
    if (n === 0) throw new NnphysError('PointsShape: centers must not be empty');
    this.dim = d;
    this.centers = this.addVariable('centers', tf.tensor2d(options.centers));
    this.logits = this.addVariable('logits', tf.zeros([n]), options.learnWeights ?? true);
  }

  sample(): { points: tf.Tensor2D; weights: tf.Tensor1D } {
    return tf.tidy(() => ({ points: tf.clone(this.centers) as tf.Tensor2D, weights: tf.softmax(this.logits) as tf.Tensor1D }));
  }

  parameters(): { centers: number[]; weights: number[] } {
    const w = tf.tidy(() => tf.softmax(this.logits).dataSync());
    return { centers: Array.from(this.centers.dataSync()), weights: Array.from(w) };
  }
}

/** Several shapes with mixture weights softmax(logits) (e.g. three circles, or a triangle plus an ellipse). */
export class ShapeMixture extends Shape {
  readonly dim: number;
  readonly shapes: Shape[];
  readonly logits: tf.Variable;

  constructor(options: { shapes: Shape[]; learnWeights?: boolean }) {
    super();
    const shapes = options?.shapes;
    if (!Array.isArray(shapes) || shapes.length === 0) throw new NnphysError('ShapeMixture: shapes must be a non-empty array of Shape');
    for (const [i, s] of shapes.entries()) {
      if (!(s instanceof Shape)) throw new NnphysError(`ShapeMixture: shapes[${i}] must be a Shape`);
      if (s.dim !== (shapes[0] as Shape).dim) throw new NnphysError(`ShapeMixture: shapes[${i}] has dimension ${s.dim}, shapes[0] has ${(shapes[0] as Shape).dim}`);
      this.addModule(`shape${i}`, s);
    }
    this.dim = (shapes[0] as Shape).dim;
    this.shapes = [...shapes];
    this.logits = this.addVariable('logits', tf.zeros([shapes.length]), options.learnWeights ?? true);
  }

  sample(): { points: tf.Tensor2D; weights: tf.Tensor1D } {
    return tf.tidy(() => {
      const mix = tf.unstack(tf.softmax(this.logits));
      const parts = this.shapes.map((s) => s.sample());
      return {
        points: tf.concat(parts.map((p) => p.points)) as tf.Tensor2D,
        weights: tf.concat(parts.map((p, i) => tf.mul(p.weights, mix[i] as tf.Scalar))) as tf.Tensor1D,
      };
    });
  }

  parameters(): { shapes: Array<Record<string, unknown>>; weights: number[] } {
    return { shapes: this.shapes.map((s) => s.parameters()), weights: Array.from(tf.tidy(() => tf.softmax(this.logits).dataSync())) };
  }
}
