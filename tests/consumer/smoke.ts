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
};
