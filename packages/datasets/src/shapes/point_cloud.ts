import type { Random } from '@nnphys/core';
import type { WeightedPoints } from '../types.js';
import { checkChoice, checkInteger, checkNumber, checkOptions, checkPoint, fail, show } from '../internal/checks.js';
import { randomFrom } from '../internal/random.js';

export type PointCloudShape = 'circle' | 'triangle' | 'ellipse' | 'jet';

export interface PointCloudOptions {
  shape: PointCloudShape;
  /** Number of points. For 'jet' it defaults to prongs * particlesPerProng. */
  points?: number;
  /** circle, ellipse: centre. Default U([-1, 1]^2). */
  center?: [number, number];
  /** circle: radius. Default U[0.25, 1]. */
  radius?: number;
  /** ellipse: semi-axes [a, b]. Default a ~ U[0.5, 1], b ~ U[0.25, a]. */
  semiAxes?: [number, number];
  /** ellipse: rotation of the a axis from the x axis, radians. Default U[0, pi). */
  angle?: number;
  /** triangle: the three vertices. Default: random around a U([-1, 1]^2) centre (see README). */
  vertices?: [number, number][];
  /** jet: number of prongs (subjet centres), 3, 4 or 5 in 004 §4.4. Default 3. */
  prongs?: number;
  /** jet: particles drawn around each centre. Default 10 (004 §4.4). */
  particlesPerProng?: number;
  /** jet: standard deviation of the particles around their centre (004 does not give it). Default 0.1. */
  spread?: number;
  /** jet: centres are uniform in the disc of this radius around the origin. Default 1. */
  jetRadius?: number;
  /** circle, triangle, ellipse: 'random' uniform in arc length, or 'even' (evenly spaced in arc length). Default 'random'. */
  sampling?: 'random' | 'even';
  /** Isotropic Gaussian noise added to every point (not for 'jet'). Default 0: points lie on the shape. */
  noise?: number;
  /** Sum of the weights (total energy). Default 1; every point gets totalWeight / points. */
  totalWeight?: number;
  seed?: number | Random;
}

export interface ShapeParams {
  shape: PointCloudShape;
  center?: [number, number];
  radius?: number;
  semiAxes?: [number, number];
  angle?: number;
  vertices?: [number, number][];
  /** jet: the prong centres. */
  centers?: [number, number][];
  spread?: number;
  /** Length of the perimeter (circle, triangle, ellipse). */
  perimeter?: number;
}

export interface PointCloud extends WeightedPoints {
  /** The true parameters of the shape (drawn ones included). */
  params: ShapeParams;
  /** circle, triangle, ellipse: arc-length position of each point as a fraction of the perimeter in [0, 1); jet: prong of each point. */
  position: number[];
}

/**
 * Weighted point sets on geometric shapes for the energy mover's distance experiments of 004 §4.4
 * (NEEMo): particles uniform along the perimeter of a circle, triangle or ellipse, or an N-prong
 * jet (N centres uniform in a disc, Gaussian particles around each). Weights are equal and sum to
 * `totalWeight`. Parameters that are not given are drawn with the seed and returned in `params`.
 */
export function pointCloud(opts: PointCloudOptions): PointCloud {
  const o = checkOptions<PointCloudOptions>(opts, 'pointCloud: options');
  const shape = checkChoice(o.shape, 'pointCloud: shape', ['circle', 'triangle', 'ellipse', 'jet'] as const);
  const rng = randomFrom(o.seed, 'pointCloud: seed');
  const totalWeight = checkNumber(o.totalWeight ?? 1, 'pointCloud: totalWeight', 0, Infinity, true);
  const sampling = checkChoice(o.sampling ?? 'random', 'pointCloud: sampling', ['random', 'even'] as const);
  const noise = checkNumber(o.noise ?? 0, 'pointCloud: noise', 0);

  if (shape === 'jet') {
    const prongs = checkInteger(o.prongs ?? 3, 'pointCloud: prongs', 1);
    const perProng = checkInteger(o.particlesPerProng ?? 10, 'pointCloud: particlesPerProng', 1);
    const points = checkInteger(o.points ?? prongs * perProng, 'pointCloud: points', 1);
    if (points !== prongs * perProng) fail(`pointCloud: points must equal prongs * particlesPerProng = ${prongs * perProng} for a jet, got ${points}`);
    const spread = checkNumber(o.spread ?? 0.1, 'pointCloud: spread', 0);
    const jetRadius = checkNumber(o.jetRadius ?? 1, 'pointCloud: jetRadius', 0, Infinity, true);
    const centers: [number, number][] = [];
    for (let k = 0; k < prongs; k++) {
      // uniform in the disc: radius ~ R sqrt(U)
      const r = jetRadius * Math.sqrt(rng.uniform());
      const phi = 2 * Math.PI * rng.uniform();
      centers.push([r * Math.cos(phi), r * Math.sin(phi)]);
    }
    const pts: number[][] = [];
    const position: number[] = [];
    centers.forEach(([cx, cy], k) => {
      for (let i = 0; i < perProng; i++) {
        pts.push([cx + rng.normal(0, spread), cy + rng.normal(0, spread)]);
        position.push(k);
      }
    });
    return { points: pts, weights: new Array(points).fill(totalWeight / points), params: { shape, centers, spread }, position };
  }

  const n = checkInteger(o.points, 'pointCloud: points', 1);
  const center = o.center === undefined ? undefined : checkPoint(o.center, 'pointCloud: center');
  const drawCenter = (): [number, number] => center ?? [rng.uniformIn(-1, 1), rng.uniformIn(-1, 1)];
  let curve: Curve;
  let params: ShapeParams;
  if (shape === 'circle') {
    const c = drawCenter();
    const radius = o.radius === undefined ? rng.uniformIn(0.25, 1) : checkNumber(o.radius, 'pointCloud: radius', 0, Infinity, true);
    curve = circleCurve(c, radius);
    params = { shape, center: c, radius };
  } else if (shape === 'ellipse') {
    const c = drawCenter();
    let semiAxes: [number, number];
    if (o.semiAxes === undefined) {
      const a = rng.uniformIn(0.5, 1);
      semiAxes = [a, rng.uniformIn(0.25, a)];
    } else {
      semiAxes = checkPoint(o.semiAxes, 'pointCloud: semiAxes');
      if (!(semiAxes[0] > 0 && semiAxes[1] > 0)) fail(`pointCloud: semiAxes must be positive, got ${show(o.semiAxes)}`);
    }
    const angle = o.angle === undefined ? rng.uniformIn(0, Math.PI) : checkNumber(o.angle, 'pointCloud: angle');
    curve = ellipseCurve(c, semiAxes, angle);
    params = { shape, center: c, semiAxes, angle };
  } else {
    let vertices: [number, number][];
    if (o.vertices === undefined) {
      const c = drawCenter();
      const R = rng.uniformIn(0.5, 1);
      const phi0 = rng.uniformIn(0, 2 * Math.PI);
      vertices = [0, 1, 2].map((k) => {
        const phi = phi0 + (2 * Math.PI * k) / 3 + rng.uniformIn(-0.3, 0.3);
        return [c[0] + R * Math.cos(phi), c[1] + R * Math.sin(phi)] as [number, number];
      });
    } else {
      if (!Array.isArray(o.vertices) || o.vertices.length !== 3) fail(`pointCloud: vertices must be three points, got ${show(o.vertices)}`);
      vertices = o.vertices.map((v, i) => checkPoint(v, `pointCloud: vertices[${i}]`));
      const [a, b, c] = vertices as [[number, number], [number, number], [number, number]];
      const area2 = (b[0] - a[0]) * (c[1] - a[1]) - (c[0] - a[0]) * (b[1] - a[1]);
      if (Math.abs(area2) < 1e-12) fail(`pointCloud: vertices must not be collinear, got ${show(o.vertices)}`);
    }
    curve = polygonCurve(vertices);
    params = { shape, vertices };
  }
  params.perimeter = curve.perimeter;
  const pts: number[][] = [];
  const position: number[] = [];
  for (let i = 0; i < n; i++) {
    const f = sampling === 'even' ? i / n : rng.uniform();
    const [x, y] = curve.at(f);
    pts.push(noise > 0 ? [x + rng.normal(0, noise), y + rng.normal(0, noise)] : [x, y]);
    position.push(f);
  }
  return { points: pts, weights: new Array(n).fill(totalWeight / n), params, position };
}

/** A closed curve parameterised by the fraction f in [0, 1) of its arc length. */
interface Curve {
  perimeter: number;
  at(f: number): [number, number];
}

function circleCurve([cx, cy]: [number, number], r: number): Curve {
  return {
    perimeter: 2 * Math.PI * r,
    at: (f) => [cx + r * Math.cos(2 * Math.PI * f), cy + r * Math.sin(2 * Math.PI * f)],
  };
}

function polygonCurve(vertices: [number, number][]): Curve {
  const lengths = vertices.map((v, i) => {
    const w = vertices[(i + 1) % vertices.length] as [number, number];
    return Math.hypot(w[0] - v[0], w[1] - v[1]);
  });
  const perimeter = lengths.reduce((s, l) => s + l, 0);
  return {
    perimeter,
    at: (f) => {
      let s = f * perimeter;
      for (let i = 0; i < vertices.length; i++) {
        const l = lengths[i] as number;
        if (s <= l || i === vertices.length - 1) {
          const v = vertices[i] as [number, number];
          const w = vertices[(i + 1) % vertices.length] as [number, number];
          const t = Math.min(1, s / l);
          return [v[0] + t * (w[0] - v[0]), v[1] + t * (w[1] - v[1])];
        }
        s -= l;
      }
      return vertices[0] as [number, number];
    },
  };
}

/**
 * Ellipse with arc-length parameterisation: the cumulative arc length over the parametric angle
 * is tabulated (Simpson's rule on 4096 panels) and inverted by bisection plus one Newton step,
 * so points lie exactly on the ellipse and are uniform in arc length to ~1e-9.
 */
function ellipseCurve([cx, cy]: [number, number], [a, b]: [number, number], angle: number): Curve {
  const panels = 4096;
  const speed = (t: number) => Math.hypot(a * Math.sin(t), b * Math.cos(t));
  const cumulative = new Float64Array(panels + 1);
  const h = (2 * Math.PI) / panels;
  for (let i = 0; i < panels; i++) {
    const t = i * h;
    cumulative[i + 1] = (cumulative[i] as number) + (h / 6) * (speed(t) + 4 * speed(t + h / 2) + speed(t + h));
  }
  const perimeter = cumulative[panels] as number;
  const cosA = Math.cos(angle);
  const sinA = Math.sin(angle);
  return {
    perimeter,
    at: (f) => {
      const s = f * perimeter;
      let lo = 0;
      let hi = panels;
      while (hi - lo > 1) {
        const mid = (lo + hi) >> 1;
        if ((cumulative[mid] as number) <= s) lo = mid;
        else hi = mid;
      }
      // inside panel lo: linear guess, then Newton steps on the arc length (Simpson from the panel start)
      const s0 = cumulative[lo] as number;
      let t = lo * h + (h * (s - s0)) / ((cumulative[lo + 1] as number) - s0 || 1);
      for (let k = 0; k < 2; k++) {
        const t0 = lo * h;
        const arc = s0 + ((t - t0) / 6) * (speed(t0) + 4 * speed((t0 + t) / 2) + speed(t));
        t -= (arc - s) / speed(t);
      }
      const x = a * Math.cos(t);
      const y = b * Math.sin(t);
      return [cx + cosA * x - sinA * y, cy + sinA * x + cosA * y];
    },
  };
}

/**
 * Joins several weighted point sets into one event; cloud k contributes `fractions[k]` of the total
 * weight (default: equal shares), e.g. the three-circle or triangle-plus-ellipse events of 004 §4.4.
 */
export function mergePointClouds(clouds: WeightedPoints[], fractions?: number[]): WeightedPoints {
  if (!Array.isArray(clouds) || clouds.length === 0) fail(`mergePointClouds: clouds must be a non-empty array of { points, weights }, got ${show(clouds)}`);
  const f = fractions ?? clouds.map(() => 1 / clouds.length);
  if (!Array.isArray(f) || f.length !== clouds.length) fail(`mergePointClouds: fractions must have one entry per cloud (${clouds.length}), got ${show(fractions)}`);
  f.forEach((v, i) => {
    checkNumber(v, `mergePointClouds: fractions[${i}]`, 0);
  });
  const fSum = f.reduce((s, v) => s + v, 0);
  if (!(fSum > 0)) fail('mergePointClouds: fractions must not all be 0');
  const points: number[][] = [];
  const weights: number[] = [];
  clouds.forEach((c, k) => {
    if (!c || !Array.isArray(c.points) || !Array.isArray(c.weights) || c.points.length !== c.weights.length) {
      fail(`mergePointClouds: clouds[${k}] must have as many weights as points, got ${show(c)}`);
    }
    const total = c.weights.reduce((s, w) => s + w, 0);
    if (!(total > 0)) fail(`mergePointClouds: clouds[${k}] weights must have a positive sum, got ${total}`);
    c.points.forEach((p, i) => {
      points.push(p.slice());
      weights.push(((c.weights[i] as number) / total) * ((f[k] as number) / fSum));
    });
  });
  return { points, weights };
}
