// One small computation per package, run from a clean install of its tarball, as ESM and as CJS.
// `mod` is the package; each snippet returns a short string the test checks.
export const smoke: Record<string, { esm: string; cjs: string; expect: RegExp }> = {
  '@nnphys/native': {
    // The install script compiled the addon with the machine's C compiler.
    esm: `
      import { loadNative, matMul, nativeUnavailableReason } from '@nnphys/native';
      const native = loadNative();
      if (!native) throw new Error(nativeUnavailableReason());
      const c = matMul({ data: Float32Array.of(1, 2, 3, 4), rows: 2, cols: 2 }, { data: Float32Array.of(5, 6, 7, 8), rows: 2, cols: 2, transpose: true });
      console.log(native.info().threads > 0, Array.from(c).join(','));
    `,
    cjs: `
      const { loadNative, matMul, nativeUnavailableReason } = require('@nnphys/native');
      const native = loadNative();
      if (!native) throw new Error(nativeUnavailableReason());
      const c = matMul({ data: Float32Array.of(1, 2, 3, 4), rows: 2, cols: 2 }, { data: Float32Array.of(5, 6, 7, 8), rows: 2, cols: 2, transpose: true });
      console.log(native.info().threads > 0, Array.from(c).join(','));
    `,
    expect: /^true 17,23,39,53$/,
  },
  '@nnphys/core': {
    esm: `
      import * as tf from '@tensorflow/tfjs-core';
      import { initBackend, segmentSum, MLP } from '@nnphys/core';
      const backend = await initBackend('wasm');
      const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
      const g = tf.grad((x) => segmentSum(x, tf.tensor1d([1, 0, 1], 'int32'), 2).sum())(x);
      const y = new MLP({ inputs: 2, hidden: [4], outputs: 1, seed: 1 }).apply(x);
      console.log(backend, JSON.stringify(segmentSum(x, tf.tensor1d([1, 0, 1], 'int32'), 2).arraySync()), g.sum().dataSync()[0], y.shape.join('x'));
    `,
    cjs: `
      const tf = require('@tensorflow/tfjs-core');
      const { initBackend, segmentSum } = require('@nnphys/core');
      initBackend('cpu').then((backend) => {
        const x = tf.tensor2d([[1, 2], [3, 4], [5, 6]]);
        const g = tf.grad((x) => segmentSum(x, tf.tensor1d([1, 0, 1], 'int32'), 2).sum())(x);
        console.log(backend, JSON.stringify(segmentSum(x, tf.tensor1d([1, 0, 1], 'int32'), 2).arraySync()), g.sum().dataSync()[0], '3x1');
      });
    `,
    expect: /^(wasm|cpu) \[\[3,4\],\[6,8\]\] 6 3x1$/,
  },
  '@nnphys/datasets': {
    esm: `
      import { twoMoons, atomSum, qm9Sample } from '@nnphys/datasets';
      const m = twoMoons({ samples: 10, seed: 1 });
      const a = atomSum({ setSize: 3, samples: 4, seed: 2 });
      const ok = a.targets.every((t, i) => Math.abs(t - a.atoms[i].reduce((s, k) => s + a.values[k], 0)) < 1e-12);
      const q = qm9Sample().molecules.find((m) => m.edges.length > 0);
      console.log(m.x.length, m.y.length, a.inputs.length, ok, q.nodes[0].length, q.edges[0].length);
    `,
    cjs: `
      const { twoMoons, atomSum, qm9Sample } = require('@nnphys/datasets');
      const m = twoMoons({ samples: 10, seed: 1 });
      const a = atomSum({ setSize: 3, samples: 4, seed: 2 });
      const ok = a.targets.every((t, i) => Math.abs(t - a.atoms[i].reduce((s, k) => s + a.values[k], 0)) < 1e-12);
      const q = qm9Sample().molecules.find((m) => m.edges.length > 0);
      console.log(m.x.length, m.y.length, a.inputs.length, ok, q.nodes[0].length, q.edges[0].length);
    `,
    expect: /^10 10 4 true 11 4$/,
  },
  '@nnphys/mode-loss': {
    esm: `
      import * as tf from '@tensorflow/tfjs-core';
      import { initBackend } from '@nnphys/core';
      import { modeLoss, distanceCorrelation, auc } from '@nnphys/mode-loss';
      await initBackend('cpu');
      const s = tf.tensor1d([0.1, 0.5, 0.9, 0.3, 0.1, 0.5, 0.9, 0.3]);
      const flat = modeLoss({ order: 0, bins: 2 })(s, tf.range(0, 8), tf.zeros([8])).dataSync()[0];
      const x = tf.tensor1d([1, 2, 4, 8]);
      const d = distanceCorrelation(x, x.mul(2).add(1)).dataSync()[0];
      console.log(flat.toFixed(6), d.toFixed(4), auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]));
    `,
    cjs: `
      const tf = require('@tensorflow/tfjs-core');
      const { initBackend } = require('@nnphys/core');
      const { modeLoss, distanceCorrelation, auc } = require('@nnphys/mode-loss');
      initBackend('cpu').then(() => {
        const s = tf.tensor1d([0.1, 0.5, 0.9, 0.3, 0.1, 0.5, 0.9, 0.3]);
        const flat = modeLoss({ order: 0, bins: 2 })(s, tf.range(0, 8), tf.zeros([8])).dataSync()[0];
        const x = tf.tensor1d([1, 2, 4, 8]);
        const d = distanceCorrelation(x, x.mul(2).add(1)).dataSync()[0];
        console.log(flat.toFixed(6), d.toFixed(4), auc([0.1, 0.2, 0.8, 0.9], [0, 0, 1, 1]));
      });
    `,
    expect: /^0\.000000 1\.0000 1$/,
  },
  '@nnphys/lipschitz': {
    esm: `
      import * as tf from '@tensorflow/tfjs-core';
      import { initBackend } from '@nnphys/core';
      import { MonotonicNetwork, lipschitzCertificate, monotonicityViolations, exactEMD } from '@nnphys/lipschitz';
      await initBackend('wasm');
      const model = new MonotonicNetwork({ inputs: 2, hidden: [8], lipschitz: 2, monotone: [1, 0], seed: 1 });
      const ok = lipschitzCertificate(model).bound <= 4 + 1e-6;
      const v = monotonicityViolations(model, { samples: 32 }).violations.length;
      const emd = exactEMD({ points: [[0, 0], [1, 0]], weights: [1, 1] }, { points: [[0, 1], [1, 1]], weights: [1, 1] });
      console.log(ok, v, model.apply(tf.zeros([3, 2])).shape.join('x'), emd.toFixed(6));
    `,
    cjs: `
      const tf = require('@tensorflow/tfjs-core');
      const { initBackend } = require('@nnphys/core');
      const { MonotonicNetwork, lipschitzCertificate, monotonicityViolations, exactEMD } = require('@nnphys/lipschitz');
      initBackend('cpu').then(() => {
        const model = new MonotonicNetwork({ inputs: 2, hidden: [8], lipschitz: 2, monotone: [1, 0], seed: 1 });
        const ok = lipschitzCertificate(model).bound <= 4 + 1e-6;
        const v = monotonicityViolations(model, { samples: 32 }).violations.length;
        const emd = exactEMD({ points: [[0, 0], [1, 0]], weights: [1, 1] }, { points: [[0, 1], [1, 1]], weights: [1, 1] });
        console.log(ok, v, model.apply(tf.zeros([3, 2])).shape.join('x'), emd.toFixed(6));
      });
    `,
    expect: /^true 0 3x1 1\.000000$/,
  },
  '@nnphys/ntk': {
    esm: `
      import * as tf from '@tensorflow/tfjs-core';
      import { initBackend } from '@nnphys/core';
      import { serial, dense, relu, empiricalNTK, relativeError, gradientDescentMSE } from '@nnphys/ntk';
      await initBackend('cpu');
      const arch = serial(dense(2048, { sigmaW: 1.5, sigmaB: 0.1 }), relu(), dense(1, { sigmaW: 1.5, sigmaB: 0.1 }));
      const xs = [[1, 0], [0.5, -1], [0, 0.3]];
      const { ntk } = arch.kernel(xs);
      const net = arch.init(2, 0);
      const err = relativeError(empiricalNTK(net, tf.tensor2d(xs)), ntk);
      const pred = gradientDescentMSE(ntk, [1, -0.5, 0.3], { learningRate: 1 });
      const fit = pred.predictTrainSteps ? Math.abs(pred.predictTest(Infinity, ntk)[0] - 1) < 1e-6 : false;
      console.log(err < 0.2, fit);
    `,
    cjs: `
      const tf = require('@tensorflow/tfjs-core');
      const { initBackend } = require('@nnphys/core');
      const { serial, dense, relu, empiricalNTK, relativeError, gradientDescentMSE } = require('@nnphys/ntk');
      initBackend('cpu').then(() => {
        const arch = serial(dense(2048, { sigmaW: 1.5, sigmaB: 0.1 }), relu(), dense(1, { sigmaW: 1.5, sigmaB: 0.1 }));
        const xs = [[1, 0], [0.5, -1], [0, 0.3]];
        const { ntk } = arch.kernel(xs);
        const net = arch.init(2, 0);
        const err = relativeError(empiricalNTK(net, tf.tensor2d(xs)), ntk);
        const pred = gradientDescentMSE(ntk, [1, -0.5, 0.3], { learningRate: 1 });
        const fit = pred.predictTrainSteps ? Math.abs(pred.predictTest(Infinity, ntk)[0] - 1) < 1e-6 : false;
        console.log(err < 0.2, fit);
      });
    `,
    expect: /^true true$/,
  },
  '@nnphys/graph': {
    esm: `
      import { initBackend } from '@nnphys/core';
      import { GINConv, batchGraphs, globalPool } from '@nnphys/graph';
      await initBackend('wasm');
      const a = { nodes: [[1, 0], [0, 1], [1, 1]], senders: [0, 1, 1, 2], receivers: [1, 0, 2, 1] };
      const b = { nodes: [[1, 1], [0, 1], [1, 0]], senders: [2, 1, 1, 0], receivers: [1, 2, 0, 1] };
      const pooled = globalPool(new GINConv({ inputs: 2, outputs: 4, seed: 0 }).apply(batchGraphs([a, b])), 'sum').arraySync();
      console.log(pooled.length, pooled[0].length, pooled[0].every((v, i) => Math.abs(v - pooled[1][i]) < 1e-5));
    `,
    cjs: `
      const { initBackend } = require('@nnphys/core');
      const { GINConv, batchGraphs, globalPool } = require('@nnphys/graph');
      initBackend('cpu').then(() => {
        const a = { nodes: [[1, 0], [0, 1], [1, 1]], senders: [0, 1, 1, 2], receivers: [1, 0, 2, 1] };
        const b = { nodes: [[1, 1], [0, 1], [1, 0]], senders: [2, 1, 1, 0], receivers: [1, 2, 0, 1] };
        const pooled = globalPool(new GINConv({ inputs: 2, outputs: 4, seed: 0 }).apply(batchGraphs([a, b])), 'sum').arraySync();
        console.log(pooled.length, pooled[0].length, pooled[0].every((v, i) => Math.abs(v - pooled[1][i]) < 1e-5));
      });
    `,
    expect: /^2 4 true$/,
  },
  '@nnphys/diffusion-lm': {
    esm: `
      import { initBackend } from '@nnphys/core';
      import { Tokenizer, Transformer } from '@nnphys/diffusion-lm';
      await initBackend('wasm');
      const tok = Tokenizer.fromTexts(['a b c d']);
      const model = new Transformer({ vocabSize: tok.size, maxLength: 4, dim: 16, heads: 2, layers: 1, causal: true, seed: 0 });
      const l1 = model.apply([tok.encode('a b c d')]).arraySync()[0];
      const l2 = model.apply([tok.encode('a b d c')]).arraySync()[0];
      const causal = l1[0].every((v, i) => v === l2[0][i]) && l1[1].every((v, i) => v === l2[1][i]) && l1[3].some((v, i) => v !== l2[3][i]);
      console.log(tok.decode(tok.encode('a b c d')), l1.length, l1[0].length === tok.size, causal);
    `,
    cjs: `
      const { initBackend } = require('@nnphys/core');
      const { Tokenizer, Transformer } = require('@nnphys/diffusion-lm');
      initBackend('cpu').then(() => {
      const tok = Tokenizer.fromTexts(['a b c d']);
      const model = new Transformer({ vocabSize: tok.size, maxLength: 4, dim: 16, heads: 2, layers: 1, causal: true, seed: 0 });
      const l1 = model.apply([tok.encode('a b c d')]).arraySync()[0];
      const l2 = model.apply([tok.encode('a b d c')]).arraySync()[0];
      const causal = l1[0].every((v, i) => v === l2[0][i]) && l1[1].every((v, i) => v === l2[1][i]) && l1[3].some((v, i) => v !== l2[3][i]);
      console.log(tok.decode(tok.encode('a b c d')), l1.length, l1[0].length === tok.size, causal);
      });
    `,
    expect: /^a b c d 4 true true$/,
  },
};
