// One small computation per package, run from a clean install of its tarball, as ESM and as CJS.
// `mod` is the package; each snippet returns a short string the test checks.
export const smoke: Record<string, { esm: string; cjs: string; expect: RegExp }> = {
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
      import { twoMoons, atomSum } from '@nnphys/datasets';
      const m = twoMoons({ samples: 10, seed: 1 });
      const a = atomSum({ setSize: 3, samples: 4, seed: 2 });
      const ok = a.targets.every((t, i) => Math.abs(t - a.atoms[i].reduce((s, k) => s + a.values[k], 0)) < 1e-12);
      console.log(m.x.length, m.y.length, a.inputs.length, ok);
    `,
    cjs: `
      const { twoMoons, atomSum } = require('@nnphys/datasets');
      const m = twoMoons({ samples: 10, seed: 1 });
      const a = atomSum({ setSize: 3, samples: 4, seed: 2 });
      const ok = a.targets.every((t, i) => Math.abs(t - a.atoms[i].reduce((s, k) => s + a.values[k], 0)) < 1e-12);
      console.log(m.x.length, m.y.length, a.inputs.length, ok);
    `,
    expect: /^10 10 4 true$/,
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
};
