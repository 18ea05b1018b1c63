// Analytic infinite-width NTK and NNGP (float64) of a depth-3 ReLU network for 2000 x 2000 inputs, as row-major
// Float64Arrays (`{ format: 'float64' }`, the counterpart of numpy's ndarrays). The kernel does not touch tfjs:
// 'cpu' runs the fused recursion on @nnphys/native's threads (C, its thread pool), 'cpu-js' in plain JavaScript.
import { Random } from '@nnphys/core';
import { dense, relu, serial } from '@nnphys/ntk';

const sizes = { full: { n: 2000, d: 16 }, smoke: { n: 64, d: 16 } };
const arch = () => serial(dense(512, { sigmaW: 1.5, sigmaB: 0.1 }), relu(), dense(512, { sigmaW: 1.5, sigmaB: 0.1 }), relu(), dense(512, { sigmaW: 1.5, sigmaB: 0.1 }), relu(), dense(1, { sigmaW: 1.5, sigmaB: 0.1 }));

export default {
  id: 'ntk.analytic-kernel',
  title: 'Analytic NTK + NNGP, depth-3 ReLU, 2000 x 2000 inputs (float64)',
  configs: ['cpu', 'cpu-js'],
  items: (scale) => sizes[scale].n * sizes[scale].n,
  itemName: 'kernel entries',
  async setup({ scale }) {
    const { n, d } = sizes[scale];
    const rng = new Random(1);
    const x = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
    const a = arch();
    return {
      iterate: async () => {
        const k = a.kernel(x, { format: 'float64' });
        if (!Number.isFinite(k.ntk[(n - 1) * n])) throw new Error('non-finite kernel');
      },
      dispose: () => {},
    };
  },
  torch: { script: 'ntk_analytic.py', args: (scale) => sizes[scale] },
};
