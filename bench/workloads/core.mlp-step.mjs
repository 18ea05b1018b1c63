// MLP 64-256-256-1, batch 256, one Adam step (forward, backward, update).
import * as tf from '@tensorflow/tfjs-core';
import { FusedAdam, MLP, Random } from '@nnphys/core';

const sizes = { full: { batch: 256, widths: [64, 256, 256, 1] }, smoke: { batch: 32, widths: [8, 16, 16, 1] } };

export default {
  id: 'core.mlp-step',
  title: 'MLP 64-256-256-1, batch 256, Adam step',
  configs: ['wasm', 'wasm-js', 'wasm-stock', 'cpu', 'cpu-js', 'cpu-stock'],
  items: (scale) => sizes[scale].batch,
  itemName: 'samples',
  // forward 2*B*sum(in*out); backward twice that
  flops: (scale) => {
    const { batch, widths } = sizes[scale];
    let f = 0;
    for (let i = 0; i + 1 < widths.length; i++) f += 2 * batch * widths[i] * widths[i + 1];
    return 3 * f;
  },
  async setup({ stock, scale }) {
    const { batch, widths } = sizes[scale];
    const rng = new Random(1);
    const model = new MLP({ inputs: widths[0], hidden: widths.slice(1, -1), outputs: widths.at(-1), seed: 2 });
    const x = tf.tensor2d(rng.fillNormal(new Float32Array(batch * widths[0])), [batch, widths[0]]);
    const y = tf.tensor2d(rng.fillNormal(new Float32Array(batch)), [batch, 1]);
    // stock: tfjs's own Adam (14 ops per variable); otherwise core's FusedAdam (one JS loop per variable)
    const opt = stock ? tf.train.adam(1e-3) : new FusedAdam({ learningRate: 1e-3 });
    const vars = model.trainableVariables();
    return {
      iterate: async () => {
        const cost = opt.minimize(() => tf.losses.meanSquaredError(y, model.apply(x)), true, vars);
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
  torch: { script: 'mlp_step.py', args: (scale) => sizes[scale] },
};
