import * as tf from '@tensorflow/tfjs-core';
import { Linear, MLP, type Module, Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import {
  EdgeConv,
  GATConv,
  GCNConv,
  GINConv,
  type Graph,
  MPNNConv,
  MessagePassing,
  aggregate,
  batchGraphs,
  disposeBatch,
} from '../src/index.js';
import { addRow, backends, mapM, matmul, maxAbs, maxAbsDiff, randomGraph, toArray2, vars } from './helpers.js';

// Float64 references computed from the layers' own weights. The float32
// layers agree to ~1e-6 relative (a few roundings per output of size O(1));
// 1e-4 relative leaves room for the wasm kernels (no FMA, other summation
// order) while any structural error (wrong neighbour set or normalisation)
// shows up at the 1e-2..1e0 level.
const REL = 1e-4;
const tanh = Math.tanh;

function mlp64(m: Module, prefix: string, x: number[][], act: (v: number) => number, layers: number): number[][] {
  let h = x;
  for (let i = 0; i < layers; i++) {
    h = addRow(matmul(h, vars(m, `${prefix}layers.${i}.weight`)), vars(m, `${prefix}layers.${i}.bias`)[0] as number[]);
    if (i < layers - 1) h = mapM(h, act);
  }
  return h;
}

function segment64(rows: number[][], ids: number[], n: number, mode: 'sum' | 'mean' | 'max' | 'min'): number[][] {
  const width = rows[0]?.length ?? 0;
  return Array.from({ length: n }, (_, v) => {
    const mine = rows.filter((_, e) => ids[e] === v);
    if (mine.length === 0) return new Array(width).fill(0);
    return Array.from({ length: width }, (_, j) => {
      const col = mine.map((r) => r[j] as number);
      if (mode === 'sum') return col.reduce((a, b) => a + b, 0);
      if (mode === 'mean') return col.reduce((a, b) => a + b, 0) / col.length;
      return mode === 'max' ? Math.max(...col) : Math.min(...col);
    });
  });
}

function run(layer: { apply(b: ReturnType<typeof batchGraphs>): ReturnType<typeof batchGraphs> }, g: Graph): number[][] {
  const b = batchGraphs([g]);
  const out = layer.apply(b);
  const y = toArray2(out.nodes);
  out.nodes.dispose();
  disposeBatch(b);
  return y;
}

describe.each(backends)('layers against float64 references and hand computations on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  const rng = new Random(2024);
  // A directed graph with repeated edges, a self-loop, a node without incoming edges (0 receives nothing).
  const g: Graph = randomGraph(rng, { nodes: 6, edges: 0, features: 4, edgeFeatures: 3 });
  g.senders = [0, 0, 1, 2, 2, 3, 4, 4, 5, 5, 3];
  g.receivers = [1, 2, 2, 3, 3, 4, 5, 1, 5, 2, 1];
  g.edges = g.senders.map(() => [rng.normal(), rng.normal(), rng.normal()]);
  const X = g.nodes;
  const E = g.edges;

  test('aggregate matches plain loops for every mode; empty segments give 0', () => {
    const data = tf.tensor2d(E);
    for (const mode of ['sum', 'mean', 'max', 'min'] as const) {
      const y = aggregate(data, tf.tensor1d(g.receivers, 'int32'), 7, mode);
      expect(maxAbsDiff(toArray2(y), segment64(E, g.receivers, 7, mode))).toBeLessThan(1e-6);
      // (segmentMin of an empty segment is -0, which is 0)
      expect(toArray2(y)[0]?.every((v) => v === 0)).toBe(true);
      expect(toArray2(y)[6]?.every((v) => v === 0)).toBe(true);
      y.dispose();
    }
    data.dispose();
  });

  test('MessagePassing is eq. 5.9: φ(h_v ‖ ⊕_{u->v} ψ(h_u ‖ h_v ‖ e_uv)) for sum, mean, max, min', () => {
    for (const mode of ['sum', 'mean', 'max', 'min'] as const) {
      const layer = new MessagePassing({
        message: new MLP({ inputs: 4 + 4 + 3, hidden: [5], outputs: 6, activation: 'tanh', seed: 1 }),
        update: new MLP({ inputs: 4 + 6, hidden: [5], outputs: 2, activation: 'tanh', seed: 2 }),
        aggregate: mode,
      });
      const cat = g.senders.map((s, k) => [...(X[s] as number[]), ...(X[g.receivers[k] as number] as number[]), ...(E[k] as number[])]);
      const m = mlp64(layer, 'message.', cat, tanh, 2);
      const agg = segment64(m, g.receivers, 6, mode);
      const want = mlp64(layer, 'update.', X.map((x, v) => [...x, ...(agg[v] as number[])]), tanh, 2);
      const got = run(layer, g);
      expect(maxAbsDiff(got, want)).toBeLessThan(REL * Math.max(1, maxAbs(want)));
      layer.dispose();
    }
  });

  test('MessagePassing messageInputs selects what ψ sees', () => {
    const layer = new MessagePassing({
      message: new MLP({ inputs: 4, hidden: [3], outputs: 3, activation: 'tanh', seed: 1 }),
      update: new MLP({ inputs: 4 + 3, hidden: [3], outputs: 2, activation: 'tanh', seed: 2 }),
      messageInputs: ['sender'],
    });
    const m = mlp64(layer, 'message.', g.senders.map((s) => X[s] as number[]), tanh, 2);
    const agg = segment64(m, g.receivers, 6, 'sum');
    const want = mlp64(layer, 'update.', X.map((x, v) => [...x, ...(agg[v] as number[])]), tanh, 2);
    expect(maxAbsDiff(run(layer, g), want)).toBeLessThan(REL * Math.max(1, maxAbs(want)));
    layer.dispose();
  });

  test('GCNConv equals the dense D̃^-1/2 Ã D̃^-1/2 X W + b (Kipf & Welling eq. 2), with and without self-loops', () => {
    for (const selfLoops of [true, false]) {
      const layer = new GCNConv({ inputs: 4, outputs: 3, selfLoops, seed: 3 });
      // give the bias a value so that it is checked too
      const bias = layer.variables().get('linear.bias') as tf.Variable;
      const b = tf.tensor1d([0.1, -0.2, 0.3]);
      bias.assign(b);
      b.dispose();
      const A = Array.from({ length: 6 }, () => new Array(6).fill(0));
      g.senders.forEach((s, k) => {
        (A[g.receivers[k] as number] as number[])[s] += 1; // Ã[v][u] counts edges u -> v
      });
      if (selfLoops) for (let v = 0; v < 6; v++) (A[v] as number[])[v] += 1;
      const deg = A.map((row) => row.reduce((a, c) => a + c, 0));
      // d^-1/2 is taken as 0 for a node of degree 0 (possible without self-loops), as in PyG's gcn_norm.
      const inv = deg.map((d) => (d === 0 ? 0 : 1 / Math.sqrt(d)));
      const norm = A.map((row, v) => row.map((a, u) => a * (inv[v] as number) * (inv[u] as number)));
      const want = addRow(matmul(matmul(norm, X), vars(layer, 'linear.weight')), [0.1, -0.2, 0.3]);
      expect(maxAbsDiff(run(layer, g), want)).toBeLessThan(REL * Math.max(1, maxAbs(want)));
      layer.dispose();
    }
  });

  test('GCNConv by hand on a directed star (centre sends to 3 leaves): degrees count incoming edges', () => {
    // d̃ = [1, 2, 2, 2]: the centre only has its self-loop; with out-degrees it would be 4.
    const star: Graph = { nodes: [[1], [2], [3], [4]], senders: [0, 0, 0], receivers: [1, 2, 3] };
    const layer = new GCNConv({ inputs: 1, outputs: 1, bias: false, seed: 1 });
    const w = layer.variables().get('linear.weight') as tf.Variable;
    const one = tf.tensor2d([[1]]);
    w.assign(one);
    one.dispose();
    const got = run(layer, star).map((r) => r[0] as number);
    const want = [1, 2 / 2 + 1 / Math.SQRT2, 3 / 2 + 1 / Math.SQRT2, 4 / 2 + 1 / Math.SQRT2];
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(want[i] as number, 5);
    layer.dispose();
  });

  test('GINConv is MLP((1 + ε) h_v + Σ_{u->v} h_u), and GINE adds ReLU(h_u + e_uv W)', () => {
    const layer = new GINConv({ inputs: 4, outputs: 3, eps: 0.25, mlpActivation: 'tanh', seed: 4 });
    const nb = segment64(g.senders.map((s) => X[s] as number[]), g.receivers, 6, 'sum');
    const want = mlp64(layer, 'mlp.', X.map((x, v) => x.map((xi, j) => 1.25 * xi + ((nb[v] as number[])[j] as number))), tanh, 2);
    expect(maxAbsDiff(run(layer, g), want)).toBeLessThan(REL * Math.max(1, maxAbs(want)));
    layer.dispose();

    const gine = new GINConv({ inputs: 4, outputs: 3, edgeInputs: 3, mlpActivation: 'tanh', seed: 5 });
    const ew = addRow(matmul(E, vars(gine, 'edge.weight')), vars(gine, 'edge.bias')[0] as number[]);
    const msg = g.senders.map((s, k) => (X[s] as number[]).map((x, j) => Math.max(0, x + ((ew[k] as number[])[j] as number))));
    const nb2 = segment64(msg, g.receivers, 6, 'sum');
    const want2 = mlp64(gine, 'mlp.', X.map((x, v) => x.map((xi, j) => xi + ((nb2[v] as number[])[j] as number))), tanh, 2);
    expect(maxAbsDiff(run(gine, g), want2)).toBeLessThan(REL * Math.max(1, maxAbs(want2)));
    gine.dispose();
  });

  test('GATConv matches eqs. 5.11-5.12 in float64, per head, concat and mean, additive and dot scores, with edge features', () => {
    const configs = [
      { heads: 2, concat: true, score: 'additive', selfLoops: true, edges: false },
      { heads: 3, concat: false, score: 'additive', selfLoops: false, edges: false },
      { heads: 2, concat: true, score: 'dot', selfLoops: true, edges: false },
      { heads: 2, concat: true, score: 'additive', selfLoops: true, edges: true },
    ] as const;
    for (const c of configs) {
      const layer = new GATConv({ inputs: 4, outputs: 3, heads: c.heads, concat: c.concat, score: c.score, selfLoops: c.selfLoops, edgeInputs: c.edges ? 3 : undefined, seed: 6 });
      const H = c.heads;
      const C = 3;
      const s = c.selfLoops ? [...g.senders, 0, 1, 2, 3, 4, 5] : g.senders;
      const r = c.selfLoops ? [...g.receivers, 0, 1, 2, 3, 4, 5] : g.receivers;
      const xw = matmul(X, vars(layer, 'linear.weight'));
      const head = (row: number[], h: number) => row.slice(h * C, (h + 1) * C);
      const dot = (a: number[], b: number[]) => a.reduce((acc, v, i) => acc + v * (b[i] as number), 0);
      const out = Array.from({ length: 6 }, () => new Array(H * C).fill(0));
      for (let h = 0; h < H; h++) {
        let score: number[];
        if (c.score === 'additive') {
          const aS = vars(layer, 'att_source')[h] as number[];
          const aT = vars(layer, 'att_target')[h] as number[];
          const we = c.edges ? matmul(E, vars(layer, 'edge.weight')) : null;
          const aE = c.edges ? (vars(layer, 'att_edge')[h] as number[]) : null;
          score = s.map((u, k) => {
            let z = dot(aS, head(xw[u] as number[], h)) + dot(aT, head(xw[r[k] as number] as number[], h));
            if (we && aE && k < g.senders.length) z += dot(aE, head(we[k] as number[], h));
            return z > 0 ? z : 0.2 * z;
          });
        } else {
          const q = matmul(X, vars(layer, 'query.weight'));
          const kk = matmul(X, vars(layer, 'key.weight'));
          score = s.map((u, k) => dot(head(q[r[k] as number] as number[], h), head(kk[u] as number[], h)) / Math.sqrt(C));
        }
        for (let v = 0; v < 6; v++) {
          const incoming = r.map((rv, k) => (rv === v ? k : -1)).filter((k) => k >= 0);
          if (incoming.length === 0) continue;
          const m = Math.max(...incoming.map((k) => score[k] as number));
          const z = incoming.reduce((acc, k) => acc + Math.exp((score[k] as number) - m), 0);
          for (const k of incoming) {
            const alpha = Math.exp((score[k] as number) - m) / z;
            const val = head(xw[s[k] as number] as number[], h);
            for (let j = 0; j < C; j++) (out[v] as number[])[h * C + j] += alpha * (val[j] as number);
          }
        }
      }
      const want = c.concat ? out : out.map((row) => Array.from({ length: C }, (_, j) => row.filter((_, i) => i % C === j).reduce((a, b) => a + b, 0) / H));
      expect(maxAbsDiff(run(layer, g), want)).toBeLessThan(REL * Math.max(1, maxAbs(want)));
      layer.dispose();
    }
  });

  test('GATConv by hand: attention normalises over incoming edges (a star whose leaves send to the centre)', () => {
    // Edges 1->0, 2->0, 3->0 and 0->1; W = 1, a_src = 1, a_dst = 0, no self-loops.
    // x = [5, 0, ln 2, ln 3]: α_{u0} ∝ exp(x_u) = 1 : 2 : 3, so h'_0 = (0·1 + ln2·2 + ln3·3) / 6;
    // node 1 hears only node 0 (α = 1), nodes 2 and 3 hear nobody (0).
    // Normalising over outgoing edges instead would give h'_0 = ln 2 + ln 3.
    const star: Graph = { nodes: [[5], [0], [Math.LN2], [Math.log(3)]], senders: [1, 2, 3, 0], receivers: [0, 0, 0, 1] };
    const layer = new GATConv({ inputs: 1, outputs: 1, selfLoops: false, bias: false, seed: 1 });
    const set = (name: string, value: number[][]) => {
      const t = tf.tensor2d(value);
      (layer.variables().get(name) as tf.Variable).assign(t);
      t.dispose();
    };
    set('linear.weight', [[1]]);
    set('att_source', [[1]]);
    set('att_target', [[0]]);
    const got = run(layer, star).map((r) => r[0] as number);
    const want = [(2 * Math.LN2 + 3 * Math.log(3)) / 6, 5, 0, 0];
    for (const [i, v] of got.entries()) expect(v).toBeCloseTo(want[i] as number, 5);
    const b = batchGraphs([star]);
    const att = layer.attention(b);
    expect(Array.from(att.weights.dataSync()).map((v) => Number(v.toFixed(6)))).toEqual([1 / 6, 2 / 6, 3 / 6, 1].map((v) => Number(v.toFixed(6))));
    tf.dispose([att.weights, att.senders, att.receivers]);
    disposeBatch(b);
    layer.dispose();
  });

  test('GATConv attention sums to 1 over each node’s incoming edges (not over outgoing ones), every head', () => {
    const rg = randomGraph(new Random(8), { nodes: 12, edges: 40, features: 4 });
    for (const selfLoops of [true, false]) {
      const layer = new GATConv({ inputs: 4, outputs: 2, heads: 3, selfLoops, seed: 9 });
      const b = batchGraphs([rg]);
      const before = tf.memory().numTensors;
      const att = layer.attention(b);
      const w = att.weights.arraySync();
      const r = Array.from(att.receivers.dataSync());
      const s = Array.from(att.senders.dataSync());
      expect(w.length).toBe(40 + (selfLoops ? 12 : 0));
      let outgoingOff = 0;
      for (let v = 0; v < 12; v++) {
        for (let h = 0; h < 3; h++) {
          const inSum = w.reduce((acc, row, k) => acc + (r[k] === v ? (row[h] as number) : 0), 0);
          const hasIncoming = r.includes(v);
          expect(inSum).toBeCloseTo(hasIncoming ? 1 : 0, 5);
          const outSum = w.reduce((acc, row, k) => acc + (s[k] === v ? (row[h] as number) : 0), 0);
          outgoingOff = Math.max(outgoingOff, Math.abs(outSum - (s.includes(v) ? 1 : 0)));
        }
      }
      // the graph is asymmetric enough that outgoing sums are far from 1
      expect(outgoingOff).toBeGreaterThan(0.1);
      tf.dispose([att.weights, att.senders, att.receivers]);
      expect(tf.memory().numTensors).toBe(before);
      disposeBatch(b);
      layer.dispose();
    }
  });

  test('MPNNConv equals ψ, φ as MLPs on concatenations (eq. 5.9), for sum, mean and max, with nonzero biases', () => {
    // outputs 5, hidden 6: the layer composes ψ's last layer with φ's message weights (W_o U_m); outputs 2,
    // hidden 6: it multiplies by them one after the other. Both must equal the plain composition.
    for (const [outputs, mode] of [[5, 'sum'], [5, 'mean'], [5, 'max'], [2, 'sum'], [2, 'mean']] as const) {
      const layer = new MPNNConv({ nodeInputs: 4, edgeInputs: 3, outputs, hidden: 6, aggregate: mode, mlpActivation: 'tanh', seed: 10 });
      // Biases start at 0; random ones make the reference catch a wrong in-degree factor on ψ's output bias
      // (the layer applies it after the aggregation, as deg(v) b for sum and [deg(v) > 0] b for mean).
      const brng = new Random(77);
      for (const [name, v] of layer.variables()) if (name.endsWith('bias')) v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => brng.normal()), v.shape));
      const Wpsi = [...vars(layer, 'message_sender.weight'), ...vars(layer, 'message_receiver.weight'), ...vars(layer, 'message_edge.weight')];
      const cat = g.senders.map((s, k) => [...(X[s] as number[]), ...(X[g.receivers[k] as number] as number[]), ...(E[k] as number[])]);
      const hidden = mapM(addRow(matmul(cat, Wpsi), vars(layer, 'message_sender.bias')[0] as number[]), tanh);
      const m = addRow(matmul(hidden, vars(layer, 'message_out.weight')), vars(layer, 'message_out.bias')[0] as number[]);
      const agg = segment64(m, g.receivers, 6, mode);
      const Wphi = [...vars(layer, 'update_node.weight'), ...vars(layer, 'update_message.weight')];
      const uh = mapM(addRow(matmul(X.map((x, v) => [...x, ...(agg[v] as number[])]), Wphi), vars(layer, 'update_node.bias')[0] as number[]), tanh);
      const want = addRow(matmul(uh, vars(layer, 'update_out.weight')), vars(layer, 'update_out.bias')[0] as number[]);
      expect(maxAbsDiff(run(layer, g), want)).toBeLessThan(REL * Math.max(1, maxAbs(want)));
      layer.dispose();
    }
  });

  test('MPNNConv.applyAfterLinear(input, batch) equals apply on input.apply(nodes), composed (x narrower than h) or not', () => {
    const brng = new Random(78);
    const randomBiases = (m: Module) => {
      for (const [name, v] of m.variables()) if (name.endsWith('bias')) v.assign(tf.tensor(Float32Array.from({ length: v.size }, () => brng.normal()), v.shape));
    };
    for (const [inputs, mode] of [[2, 'sum'], [2, 'mean'], [2, 'max'], [5, 'sum']] as const) {
      const input = new Linear({ inputs, outputs: 4, seed: 20 });
      const layer = new MPNNConv({ nodeInputs: 4, edgeInputs: 3, outputs: 4, hidden: 6, aggregate: mode, mlpActivation: 'tanh', residual: true, seed: 21 });
      randomBiases(input);
      randomBiases(layer);
      const x = g.nodes.map((row) => Array.from({ length: inputs }, (_, j) => (row[j % row.length] as number) * (j + 1)));
      const b = batchGraphs([{ ...g, nodes: x }]);
      const h = input.apply(b.nodes);
      const want = layer.apply({ ...b, nodes: h });
      const got = layer.applyAfterLinear(input, b);
      expect(maxAbsDiff(toArray2(got.nodes), toArray2(want.nodes))).toBeLessThan(REL * Math.max(1, maxAbs(toArray2(want.nodes))));
      tf.dispose([h, want.nodes, got.nodes]);
      disposeBatch(b);
      input.dispose();
      layer.dispose();
    }
    const layer = new MPNNConv({ nodeInputs: 4, edgeInputs: 3, outputs: 4, seed: 22 });
    const wrong = new Linear({ inputs: 2, outputs: 3, seed: 23 });
    const b = batchGraphs([g]);
    expect(() => layer.applyAfterLinear(wrong, b)).toThrow(/input layer has 3 outputs, the layer expects 4 node features/);
    disposeBatch(b);
    layer.dispose();
    wrong.dispose();
  });

  test('EdgeConv is h_v W_root + b + Σ_{u->v} Θ(e_uv) h_u with a per-edge matrix Θ', () => {
    const layer = new EdgeConv({ nodeInputs: 4, edgeInputs: 3, outputs: 2, hidden: 5, mlpActivation: 'tanh', seed: 11 });
    const theta = mlp64(layer, 'edge_network.', E, tanh, 2); // [E, 4 * 2], row-major [4, 2]
    const msg = g.senders.map((u, k) => [0, 1].map((c) => (X[u] as number[]).reduce((acc, x, f) => acc + x * ((theta[k] as number[])[f * 2 + c] as number), 0)));
    const agg = segment64(msg, g.receivers, 6, 'sum');
    const root = addRow(matmul(X, vars(layer, 'root.weight')), vars(layer, 'root.bias')[0] as number[]);
    const want = root.map((row, v) => row.map((x, c) => x + ((agg[v] as number[])[c] as number)));
    expect(maxAbsDiff(run(layer, g), want)).toBeLessThan(REL * Math.max(1, maxAbs(want)));
    layer.dispose();
  });

  test('residual and layer-norm options: h\' = act(LN(conv(h))) + h', () => {
    const plain = new GCNConv({ inputs: 4, outputs: 4, seed: 12 });
    const res = new GCNConv({ inputs: 4, outputs: 4, seed: 12, norm: 'layer', activation: 'tanh', residual: true });
    const base = run(plain, g);
    const ln = base.map((row) => {
      const mu = row.reduce((a, b) => a + b, 0) / row.length;
      const v = row.reduce((a, b) => a + (b - mu) ** 2, 0) / row.length;
      return row.map((x) => (x - mu) / Math.sqrt(v + 1e-5));
    });
    const want = ln.map((row, i) => row.map((x, j) => Math.tanh(x) + ((X[i] as number[])[j] as number)));
    expect(maxAbsDiff(run(res, g), want)).toBeLessThan(REL * Math.max(1, maxAbs(want)));
    plain.dispose();
    res.dispose();
  });
});
