import * as tf from '@tensorflow/tfjs-core';
import { type Module, Random } from '@nnphys/core';
import { ethanol } from '@nnphys/datasets';
import { expect } from 'vitest';
import type { Graph } from '../src/index.js';

export const backends = ['cpu', 'wasm'] as const;

/** A random directed graph (self-loops and repeated edges allowed: layers must handle both). */
export function randomGraph(rng: Random, opts: { nodes: number; edges: number; features: number; edgeFeatures?: number; targets?: number }): Graph {
  const g: Graph = {
    nodes: Array.from({ length: opts.nodes }, () => Array.from({ length: opts.features }, () => rng.normal())),
    senders: [],
    receivers: [],
  };
  if (opts.nodes > 0) {
    for (let k = 0; k < opts.edges; k++) {
      g.senders.push(rng.int(opts.nodes));
      g.receivers.push(rng.int(opts.nodes));
    }
  }
  if (opts.edgeFeatures) g.edges = g.senders.map(() => Array.from({ length: opts.edgeFeatures as number }, () => rng.normal()));
  if (opts.targets) g.target = Array.from({ length: opts.targets }, () => rng.normal());
  return g;
}

/**
 * Relabels nodes: node i of the result is node perm[i] of `g`. Edges are
 * re-indexed and their order shuffled with `edgeRng` when given.
 */
export function permuteGraph(g: Graph, perm: number[], edgeRng?: Random): Graph {
  const inv = new Array<number>(perm.length);
  perm.forEach((p, i) => {
    inv[p] = i;
  });
  const order = edgeRng ? edgeRng.permutation(g.senders.length) : g.senders.map((_, k) => k);
  const out: Graph = {
    nodes: perm.map((p) => [...(g.nodes[p] as number[])]),
    senders: order.map((k) => inv[g.senders[k] as number] as number),
    receivers: order.map((k) => inv[g.receivers[k] as number] as number),
  };
  if (g.edges) out.edges = order.map((k) => [...(g.edges as number[][])[k] as number[]]);
  if (g.target) out.target = [...g.target];
  return out;
}

// Ethanol, 002 ch. 1: the two node orderings and their adjacency matrices, as transcribed in @nnphys/datasets.
const ethanolFixture = ethanol();
export const ethanolA = { labels: ethanolFixture.A.labels, adjacency: ethanolFixture.A.adjacency };
export const ethanolB = { labels: ethanolFixture.B.labels, adjacency: ethanolFixture.B.adjacency };
/** Node i of ethanol B is node ethanolBtoA[i] of ethanol A (B's H1/H6 are A's H4/H5 on C2, B's H2 is A's H6 on O). */
export const ethanolBtoA = ethanolFixture.permutation;

/**
 * The two ethanol graphs with matching features: element one-hot (H, C, O),
 * plus `extra` random features per atom of A carried to the same atom in B,
 * and edge features that are a function of the (A-labelled) bond direction.
 */
export function ethanolGraphs(rng: Random, extra = 2, edgeFeatures = 3): { a: Graph; b: Graph } {
  const element = (label: string) => [label.startsWith('H') ? 1 : 0, label.startsWith('C') ? 1 : 0, label.startsWith('O') ? 1 : 0];
  const atomExtra = ethanolA.labels.map(() => Array.from({ length: extra }, () => rng.normal()));
  const bondFeature = new Map<string, number[]>();
  for (let i = 0; i < 9; i++) for (let j = 0; j < 9; j++) bondFeature.set(`${i},${j}`, Array.from({ length: edgeFeatures }, () => rng.normal()));
  const build = (spec: typeof ethanolA, toA: number[]): Graph => {
    const g: Graph = { nodes: [], senders: [], receivers: [], edges: [] };
    spec.labels.forEach((label, i) => {
      g.nodes.push([...element(label), ...(atomExtra[toA[i] as number] as number[])]);
    });
    for (const [i, row] of spec.adjacency.entries()) {
      for (const [j, v] of row.entries()) {
        if (v === 1) {
          g.senders.push(i);
          g.receivers.push(j);
          (g.edges as number[][]).push(bondFeature.get(`${toA[i]},${toA[j]}`) as number[]);
        }
      }
    }
    return g;
  };
  return { a: build(ethanolA, [0, 1, 2, 3, 4, 5, 6, 7, 8]), b: build(ethanolB, ethanolBtoA) };
}

/** Runs `fn`, disposes what it returns (tensors, or the `nodes` of a batch) and checks no tensor was left behind. */
export function expectNoLeak(fn: () => unknown): void {
  const before = tf.memory().numTensors;
  const out = fn();
  const dispose = (x: unknown): void => {
    if (x instanceof tf.Tensor) x.dispose();
    else if (Array.isArray(x)) x.forEach(dispose);
    else if (x && typeof x === 'object') {
      for (const v of Object.values(x)) if (v instanceof tf.Tensor) v.dispose();
    }
  };
  dispose(out);
  expect(tf.memory().numTensors).toBe(before);
}

/** Float64 copy of a tensor's values as a nested array. */
export function toArray2(t: tf.Tensor): number[][] {
  return t.arraySync() as number[][];
}

export function maxAbsDiff(a: number[][] | number[], b: number[][] | number[]): number {
  const fa = (a as unknown[]).flat(2) as number[];
  const fb = (b as unknown[]).flat(2) as number[];
  expect(fa.length).toBe(fb.length);
  let m = 0;
  for (let i = 0; i < fa.length; i++) m = Math.max(m, Math.abs((fa[i] as number) - (fb[i] as number)));
  return m;
}

export function maxAbs(a: number[][] | number[]): number {
  return Math.max(1e-30, ...((a as unknown[]).flat(2) as number[]).map(Math.abs));
}

// Float64 dense algebra for references.
export function matmul(a: number[][], b: number[][]): number[][] {
  const n = b[0]?.length ?? 0;
  return a.map((row) => {
    const out = new Array<number>(n).fill(0);
    row.forEach((v, k) => {
      const bk = b[k] as number[];
      for (let j = 0; j < n; j++) out[j] += v * (bk[j] as number);
    });
    return out;
  });
}
export const addRow = (a: number[][], r: number[]): number[][] => a.map((row) => row.map((v, j) => v + (r[j] as number)));
export const mapM = (a: number[][], f: (v: number) => number): number[][] => a.map((row) => row.map(f));
export const vars = (m: Module, name: string): number[][] => {
  const v = m.variables().get(name);
  if (!v) throw new Error(`no variable ${name} in ${[...m.variables().keys()].join(', ')}`);
  const a = v.arraySync() as number[] | number[][];
  return (Array.isArray(a[0]) ? a : [a]) as number[][];
};

/**
 * Finite-difference check of the gradient of `loss` with respect to the
 * module's variables, along random unit directions v: grad·v against
 * (L(w + εv) - L(w - εv)) / 2ε, with core's relative-error definition.
 */
export function checkVariableGradients(module: Pick<Module, 'trainableVariables'>, loss: () => tf.Scalar, opts: { epsilon?: number; directions?: number; seed?: number } = {}): number {
  const eps = opts.epsilon ?? 1e-2;
  const rng = new Random(opts.seed ?? 7);
  const variables = module.trainableVariables();
  const { value, grads } = tf.variableGrads(loss, variables);
  value.dispose();
  const g = variables.map((v) => Float64Array.from((grads[v.name] as tf.Tensor).dataSync()));
  tf.dispose(Object.values(grads));
  const base = variables.map((v) => Float64Array.from(v.dataSync()));
  const evalAt = (dir: Float64Array[], s: number): number => {
    variables.forEach((v, i) => {
      const b = base[i] as Float64Array;
      const d = dir[i] as Float64Array;
      const t = tf.tensor(Float32Array.from(b, (x, j) => x + s * (d[j] as number)), v.shape);
      v.assign(t);
      t.dispose();
    });
    const l = loss();
    const out = l.dataSync()[0] as number;
    l.dispose();
    return out;
  };
  const analytic: number[] = [];
  const numeric: number[] = [];
  for (let d = 0; d < (opts.directions ?? 4); d++) {
    // a unit direction, so that ε is the step length in parameter space
    const dir = base.map((b) => Float64Array.from(b, () => rng.normal()));
    const norm = Math.sqrt(dir.reduce((acc, v) => acc + v.reduce((a, x) => a + x * x, 0), 0));
    for (const v of dir) for (let j = 0; j < v.length; j++) v[j] = (v[j] as number) / norm;
    let a = 0;
    dir.forEach((v, i) => {
      v.forEach((x, j) => {
        a += x * ((g[i] as Float64Array)[j] as number);
      });
    });
    analytic.push(a);
    numeric.push((evalAt(dir, eps) - evalAt(dir, -eps)) / (2 * eps));
  }
  variables.forEach((v, i) => {
    const t = tf.tensor(Float32Array.from(base[i] as Float64Array), v.shape);
    v.assign(t);
    t.dispose();
  });
  const scale = Math.max(1e-3, ...analytic.map(Math.abs), ...numeric.map(Math.abs)) * 1e-2;
  let worst = 0;
  analytic.forEach((a, i) => {
    const n = numeric[i] as number;
    const err = Math.abs(a - n) / Math.max(Math.abs(a), Math.abs(n), scale);
    worst = Number.isNaN(err) ? Number.POSITIVE_INFINITY : Math.max(worst, err);
  });
  return worst;
}
