// Empirical NTK Theta(X, X) of a width-1024 two-layer MLP (16 -> 1024 -> 1, ReLU, NTK parameterisation) on
// 256 points: the layer-wise formula Theta = sum_l (delta_l delta_l^T) o (a_{l-1} a_{l-1}^T) (one batched pass).
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@nnphys/core';
import { dense, empiricalNTK, relu, serial } from '@nnphys/ntk';

const sizes = { full: { n: 256, d: 16, width: 1024 }, smoke: { n: 16, d: 16, width: 64 } };

export default {
  id: 'ntk.empirical',
  title: 'Empirical NTK, MLP 16-1024-1, 256 points (layer-wise)',
  configs: ['wasm', 'wasm-js', 'wasm-stock', 'cpu', 'cpu-js', 'cpu-stock'],
  items: (scale) => sizes[scale].n,
  itemName: 'points',
  async setup({ scale }) {
    const { n, d, width } = sizes[scale];
    const rng = new Random(1);
    const x = tf.tensor2d(rng.fillNormal(new Float32Array(n * d)), [n, d]);
    const net = serial(dense(width, { sigmaW: 1.5, sigmaB: 0.1 }), relu(), dense(1, { sigmaW: 1.5, sigmaB: 0.1 })).init(d, 2);
    return {
      iterate: async () => {
        const k = empiricalNTK(net, x, null, { method: 'layerwise' });
        if (!Number.isFinite(k[n - 1][0])) throw new Error('non-finite kernel');
      },
      dispose: () => {
        net.dispose();
        x.dispose();
      },
    };
  },
  torch: { script: 'ntk_empirical.py', args: (scale) => sizes[scale] },
};
