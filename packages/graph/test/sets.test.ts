import * as tf from '@tensorflow/tfjs-core';
import { Linear, MLP, Module, NnphysError, Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  AttentionPool,
  DeepSets,
  DeepSetsEquivariant,
  EquivariantLinear,
  GATConv,
  batchGraphs,
  completeGraph,
  disposeBatch,
  globalPool,
  unbatch,
} from '../src/index.js';
import { addRow, backends, expectNoLeak, matmul, maxAbs, maxAbsDiff, randomGraph, toArray2, vars } from './helpers.js';

/** A parameter-free module applying a function (for fixtures). */
class Fn extends Module {
  constructor(private readonly f: (x: tf.Tensor2D) => tf.Tensor2D) {
    super();
  }
  apply(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.f(x));
  }
}

const F = 3;
// float32 vs float64 on O(1) values with a few operations: 1e-5 relative.
const REL = 1e-5;

function denseSets(rng: Random, B: number, S: number): number[][][] {
  return Array.from({ length: B }, () => Array.from({ length: S }, () => Array.from({ length: F }, () => rng.normal())));
}

describe.each(backends)('Deep Sets on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('x1·x2 = exp(ln x1 + ln x2) is represented exactly with φ = ln, ρ = exp (004 App. C.2, eq. C.1)', () => {
    const ds = new DeepSets({ phi: new Fn((x) => tf.log(x)), rho: new Fn((x) => tf.exp(x)) });
    const pairs = [[2, 3], [0.5, 8], [1.25, 1.25], [7, 0.1]];
    const x = tf.tensor3d(pairs.map((p) => p.map((v) => [v])));
    const y = ds.apply(x);
    for (const [i, row] of toArray2(y).entries()) expect(row[0]).toBeCloseTo((pairs[i]?.[0] as number) * (pairs[i]?.[1] as number), 5);
    tf.dispose([x, y]);
  });

  test('invariance: permuting the elements of each set leaves the output unchanged (every pool)', () => {
    const rng = new Random(1);
    const sets = denseSets(rng, 4, 6);
    for (const pool of ['sum', 'mean', 'max', 'min'] as const) {
      const ds = new DeepSets({ phi: new MLP({ inputs: F, hidden: [8], outputs: 5, activation: 'tanh', seed: 2 }), rho: new MLP({ inputs: 5, hidden: [4], outputs: 2, seed: 3 }), pool });
      const x = tf.tensor3d(sets);
      const xp = tf.tensor3d(sets.map((s) => rng.permutation(6).map((i) => s[i] as number[])));
      const y = toArray2(ds.apply(x));
      const yp = toArray2(ds.apply(xp));
      expect(maxAbsDiff(y, yp)).toBeLessThan(REL * Math.max(1, maxAbs(y)));
      tf.dispose([x, xp]);
      ds.dispose();
    }
  });

  test('masked dense sets equal ragged sets (GraphBatch) and a float64 reference; masked elements and empty sets are ignored', () => {
    const rng = new Random(4);
    const sets = denseSets(rng, 4, 5);
    const maskRows = [[1, 1, 0, 1, 0], [0, 0, 0, 0, 0], [1, 0, 0, 0, 0], [1, 1, 1, 1, 1]];
    for (const pool of ['sum', 'mean', 'max', 'min'] as const) {
      const ds = new DeepSets({ phi: new MLP({ inputs: F, hidden: [6], outputs: 4, activation: 'tanh', seed: 5 }), rho: new Linear({ inputs: 4, outputs: 2, seed: 6 }), pool });
      // put huge values in masked slots: they must not leak into any pool
      const x = tf.tensor3d(sets.map((s, b) => s.map((row, i) => ((maskRows[b] as number[])[i] ? row : row.map(() => 1e6)))));
      const mask = tf.tensor2d(maskRows);
      const dense = toArray2(ds.apply(x, mask));
      const ragged = sets.map((s, b) => ({ nodes: s.filter((_, i) => (maskRows[b] as number[])[i]), senders: [], receivers: [] }));
      const batch = batchGraphs(ragged, { nodeFeatures: F });
      const viaBatch = toArray2(ds.apply(batch));
      expect(maxAbsDiff(dense, viaBatch)).toBeLessThan(REL * Math.max(1, maxAbs(dense)));
      // float64: φ per element, pool, ρ
      const phi = (row: number[]) => {
        const h = addRow(matmul([row], vars(ds, 'phi.layers.0.weight')), vars(ds, 'phi.layers.0.bias')[0] as number[]).map((r) => r.map(Math.tanh));
        return addRow(matmul(h, vars(ds, 'phi.layers.1.weight')), vars(ds, 'phi.layers.1.bias')[0] as number[])[0] as number[];
      };
      const want = ragged.map((r) => {
        const e = r.nodes.map(phi);
        const pooled = [0, 1, 2, 3].map((j) => {
          const col = e.map((v) => v[j] as number);
          if (col.length === 0) return 0;
          if (pool === 'sum') return col.reduce((a, b) => a + b, 0);
          if (pool === 'mean') return col.reduce((a, b) => a + b, 0) / col.length;
          return pool === 'max' ? Math.max(...col) : Math.min(...col);
        });
        return addRow(matmul([pooled], vars(ds, 'rho.weight')), vars(ds, 'rho.bias')[0] as number[])[0] as number[];
      });
      expect(maxAbsDiff(dense, want)).toBeLessThan(1e-4 * Math.max(1, maxAbs(want)));
      expectNoLeak(() => ds.apply(x, mask));
      expectNoLeak(() => ds.apply(batch));
      tf.dispose([x, mask]);
      disposeBatch(batch);
      ds.dispose();
    }
  });

  test('DeepSetsEquivariant (eq. 5.8): y_i = ψ(x_i ‖ Σ_j φ(x_j)) permutes with the elements; masked rows are 0; dense equals ragged', () => {
    const rng = new Random(7);
    const sets = denseSets(rng, 3, 5);
    const maskRows = [[1, 1, 1, 0, 1], [1, 1, 1, 1, 1], [0, 1, 0, 0, 0]];
    const layer = new DeepSetsEquivariant({
      phi: new MLP({ inputs: F, hidden: [6], outputs: 4, activation: 'tanh', seed: 8 }),
      psi: new MLP({ inputs: F + 4, hidden: [6], outputs: 2, activation: 'tanh', seed: 9 }),
    });
    const x = tf.tensor3d(sets);
    const mask = tf.tensor2d(maskRows);
    const y = layer.apply(x, mask);
    const ya = y.arraySync();
    // permutation: reorder elements and mask together
    const perm = rng.permutation(5);
    const xp = tf.tensor3d(sets.map((s) => perm.map((i) => s[i] as number[])));
    const mp = tf.tensor2d(maskRows.map((m) => perm.map((i) => m[i] as number)));
    const yp = layer.apply(xp, mp).arraySync();
    for (const [b, s] of ya.entries()) for (const [i, p] of perm.entries()) expect(maxAbsDiff(yp[b]?.[i] as number[], s[p] as number[])).toBeLessThan(REL * 10);
    for (const [b, s] of ya.entries()) for (const [i, row] of s.entries()) if ((maskRows[b] as number[])[i] === 0) expect(row.every((v) => v === 0)).toBe(true);
    // ragged
    const batch = batchGraphs(sets.map((s, b) => ({ nodes: s.filter((_, i) => (maskRows[b] as number[])[i]), senders: [], receivers: [] })));
    const out = layer.apply(batch);
    const perGraph = unbatch(out).map((g) => g.nodes);
    perGraph.forEach((rows, b) => {
      const real = ya[b]?.filter((_, i) => (maskRows[b] as number[])[i]) as number[][];
      expect(maxAbsDiff(rows, real)).toBeLessThan(REL * 10);
    });
    expectNoLeak(() => layer.apply(x, mask));
    out.nodes.dispose();
    disposeBatch(batch);
    tf.dispose([x, mask, xp, mp, y]);
    layer.dispose();
  });

  test('EquivariantLinear equals σ(XΛ + 1 1ᵀ X Γ + b) (sum) and the (1/n) 1 1ᵀ variant (mean)', () => {
    const rng = new Random(10);
    const sets = denseSets(rng, 2, 4);
    for (const pool of ['sum', 'mean'] as const) {
      const layer = new EquivariantLinear({ inputs: F, outputs: 2, pool, seed: 11 });
      const x = tf.tensor3d(sets);
      const y = layer.apply(x).arraySync();
      const L = vars(layer, 'lambda.weight');
      const G = vars(layer, 'gamma.weight');
      sets.forEach((X, b) => {
        const ones = X.map(() => X.map(() => (pool === 'sum' ? 1 : 1 / X.length)));
        const want = addRow(matmul(X, L), vars(layer, 'lambda.bias')[0] as number[]).map((row, i) => row.map((v, j) => v + ((matmul(matmul(ones, X), G)[i] as number[])[j] as number)));
        expect(maxAbsDiff(y[b] as number[][], want)).toBeLessThan(REL * 10);
      });
      x.dispose();
      layer.dispose();
    }
  });

  test('uniform attention (004 ch. 5) is mean aggregation over the complete graph with self-loops', () => {
    const rng = new Random(12);
    const rows = denseSets(rng, 1, 6)[0] as number[][];
    const batch = batchGraphs([completeGraph(rows)]);
    expect(batch.senders.shape[0]).toBe(36);
    // GAT with zero attention vectors scores every edge 0, so α = 1/|N(v)|. The
    // complete graph already has its self-loops, so the layer adds none.
    const gat = new GATConv({ inputs: F, outputs: 2, bias: false, selfLoops: false, seed: 13 });
    for (const name of ['att_source', 'att_target']) {
      const z = tf.zeros([1, 2]);
      (gat.variables().get(name) as tf.Variable).assign(z);
      z.dispose();
    }
    const out = gat.apply(batch);
    const uniform = toArray2(out.nodes);
    const mean = matmul(rows, vars(gat, 'linear.weight')).reduce((acc, r) => acc.map((v, j) => v + (r[j] as number) / 6), [0, 0]);
    for (const row of uniform) expect(maxAbsDiff(row, mean)).toBeLessThan(REL * 10);
    // and it is what globalPool(mean) gives on the projected nodes
    const projected = tf.matMul(batch.nodes, gat.variables().get('linear.weight') as tf.Variable) as tf.Tensor2D;
    const pooled = globalPool(batch, 'mean', projected);
    expect(maxAbsDiff(toArray2(pooled)[0] as number[], mean)).toBeLessThan(REL * 10);
    tf.dispose([out.nodes, projected, pooled]);
    disposeBatch(batch);
    gat.dispose();
  });

  test('bad set inputs throw NnphysError naming the argument', () => {
    const ds = new DeepSets({ phi: new Linear({ inputs: F, outputs: 2, seed: 1 }), rho: new Linear({ inputs: 2, outputs: 1, seed: 2 }) });
    const x = tf.zeros([2, 3, F]) as tf.Tensor3D;
    const badMask = tf.tensor2d([[1, 0.5, 0], [1, 1, 1]]);
    const wrongShape = tf.ones([2, 4]) as tf.Tensor2D;
    expect(() => ds.apply(x, badMask)).toThrow(/DeepSets: mask entries must be 0 or 1, got 0.5 at \[0, 1\]/);
    expect(() => ds.apply(x, wrongShape)).toThrow(/DeepSets: mask must have shape \[2, 3\] to match x, got shape \[2, 4\]/);
    expect(() => ds.apply(tf.zeros([2, F]) as unknown as tf.Tensor3D)).toThrow(NnphysError);
    expect(() => new DeepSets({ phi: (() => 1) as unknown as Module, rho: ds.rho })).toThrow(/DeepSets: phi must be a Module/);
    expect(() => new DeepSets({ phi: ds.phi, rho: ds.rho, pool: 'prod' as 'sum' })).toThrow(/DeepSets: pool must be one of/);
    tf.dispose([x, badMask, wrongShape]);
    ds.dispose();
  });
});

describe.each(backends)('readouts on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('globalPool (eq. 5.10) sums, averages and maxes per graph; empty graphs give 0; padding keeps its own row', () => {
    const rng = new Random(14);
    const graphs = [randomGraph(rng, { nodes: 3, edges: 2, features: F }), randomGraph(rng, { nodes: 0, edges: 0, features: F }), randomGraph(rng, { nodes: 4, edges: 5, features: F })];
    const batch = batchGraphs(graphs, { padTo: { nodes: 10, edges: 8, graphs: 4 } });
    for (const mode of ['sum', 'mean', 'max', 'min'] as const) {
      const y = toArray2(globalPool(batch, mode));
      expect(y.length).toBe(4);
      graphs.forEach((g, i) => {
        const want = [0, 1, 2].map((j) => {
          const col = g.nodes.map((r) => r[j] as number);
          if (col.length === 0) return 0;
          if (mode === 'sum') return col.reduce((a, b) => a + b, 0);
          if (mode === 'mean') return col.reduce((a, b) => a + b, 0) / col.length;
          return mode === 'max' ? Math.max(...col) : Math.min(...col);
        });
        expect(maxAbsDiff(y[i] as number[], want)).toBeLessThan(1e-5);
      });
      expectNoLeak(() => globalPool(batch, mode));
    }
    disposeBatch(batch);
  });

  test('AttentionPool: weights sum to 1 within each graph, output is their weighted sum, invariant to node order', () => {
    const rng = new Random(15);
    const g1 = randomGraph(rng, { nodes: 5, edges: 4, features: F });
    const g2 = randomGraph(rng, { nodes: 2, edges: 1, features: F });
    const pool = new AttentionPool({ inputs: F, outputs: 4, seed: 16 });
    const batch = batchGraphs([g1, { nodes: [], senders: [], receivers: [] }, g2]);
    const w = Array.from(pool.weights(batch).dataSync());
    const ids = Array.from(batch.graphIds.dataSync());
    for (const g of [0, 2]) expect(w.filter((_, i) => ids[i] === g).reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    const y = toArray2(pool.apply(batch));
    expect(y[1]).toEqual([0, 0, 0, 0]);
    const values = addRow(matmul(toArray2(batch.nodes), vars(pool, 'value.weight')), vars(pool, 'value.bias')[0] as number[]);
    const want0 = [0, 1, 2, 3].map((j) => values.reduce((acc, r, i) => acc + (ids[i] === 0 ? (w[i] as number) * (r[j] as number) : 0), 0));
    expect(maxAbsDiff(y[0] as number[], want0)).toBeLessThan(1e-5);
    const perm = rng.permutation(5);
    const b2 = batchGraphs([{ ...g1, nodes: perm.map((p) => g1.nodes[p] as number[]), senders: [], receivers: [] }, { nodes: [], senders: [], receivers: [] }, g2]);
    expect(maxAbsDiff(toArray2(pool.apply(b2)), y)).toBeLessThan(1e-5);
    expectNoLeak(() => pool.apply(batch));
    disposeBatch(batch);
    disposeBatch(b2);
    pool.dispose();
  });
});
