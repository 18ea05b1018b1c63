// LHCb-style monotonic model (004 §2.4, spec L5): 4 inputs, 3 hidden layers of width 20, GroupSort full sort,
// lambda = 2, ||W||_1 per layer (eq. 2.6 / 2.8, reparam mode: the norm is applied and differentiated every step),
// monotone in the first two inputs; one Adam step of BCE on the logits per iteration, batch 1024.
import * as tf from '@tensorflow/tfjs-core';
import { FusedAdam, Random } from '@nnphys/core';
import { MonotonicNetwork, bceWithTemperature } from '@nnphys/lipschitz';

const sizes = { full: { batch: 1024, inputs: 4, hidden: [20, 20, 20] }, smoke: { batch: 64, inputs: 4, hidden: [20, 20, 20] } };

export default {
  id: 'lipschitz.monotonic-training',
  title: 'Monotonic Lipschitz net 4-20-20-20-1 (full sort, λ=2), batch 1024, Adam step',
  configs: ['wasm', 'wasm-js', 'wasm-stock', 'cpu', 'cpu-js', 'cpu-stock'],
  items: (scale) => sizes[scale].batch,
  itemName: 'samples',
  async setup({ stock, scale }) {
    const { batch, inputs, hidden } = sizes[scale];
    const rng = new Random(1);
    const model = new MonotonicNetwork({ inputs, hidden, lipschitz: 2, monotone: [1, 1, 0, 0], numGroups: 1, scheme: 'chapter2', seed: 2 });
    const xs = rng.fillNormal(new Float32Array(batch * inputs));
    // labels from a noisy monotone rule in x0 + x1 (the task does not matter for timing, only that it is learnable)
    const ys = new Float32Array(batch);
    for (let i = 0; i < batch; i++) ys[i] = xs[i * inputs] + xs[i * inputs + 1] + 0.5 * Math.sin(3 * xs[i * inputs + 2]) + 0.3 * rng.normal() > 0 ? 1 : 0;
    const x = tf.tensor2d(xs, [batch, inputs]);
    const y = tf.tensor2d(ys, [batch, 1]);
    const loss = bceWithTemperature({ temperature: 1 });
    // stock: tfjs's own Adam (14 ops per variable); otherwise core's FusedAdam (one JS loop per variable)
    const opt = stock ? tf.train.adam(1e-3) : new FusedAdam({ learningRate: 1e-3 });
    const vars = model.trainableVariables();
    return {
      iterate: async () => {
        const cost = opt.minimize(() => loss(y, model.logits(x)), true, vars);
        await cost.data();
        cost.dispose();
      },
      dispose: () => {
        model.dispose();
        opt.dispose();
        x.dispose();
        y.dispose();
      },
    };
  },
  torch: { script: 'lipschitz_monotonic.py', args: (scale) => sizes[scale] },
};
