// Analytic infinite-width NTK and NNGP (float64, plain JS) of a depth-3 ReLU network for 2000 x 2000 inputs.
// The kernel does not touch tfjs, so it runs at one configuration.
import { Random } from '@nnphys/core';
import { dense, relu, serial } from '@nnphys/ntk';

const sizes = { full: { n: 2000, d: 16 }, smoke: { n: 64, d: 16 } };
const arch = () => serial(dense(512, { sigmaW: 1.5, sigmaB: 0.1 }), relu(), dense(512, { sigmaW: 1.5, sigmaB: 0.1 }), relu(), dense(512, { sigmaW: 1.5, sigmaB: 0.1 }), relu(), dense(1, { sigmaW: 1.5, sigmaB: 0.1 }));

export default {
  id: 'ntk.analytic-kernel',
  title: 'Analytic NTK + NNGP, depth-3 ReLU, 2000 x 2000 inputs (float64)',
  configs: ['cpu'],
  items: (scale) => sizes[scale].n * sizes[scale].n,
  itemName: 'kernel entries',
  async setup({ scale }) {
    const { n, d } = sizes[scale];
    const rng = new Random(1);
    const x = Array.from({ length: n }, () => Array.from({ length: d }, () => rng.normal()));
    const a = arch();
    return {
      iterate: async () => {
        const k = a.kernel(x);
        if (!Number.isFinite(k.ntk[n - 1][0])) throw new Error('non-finite kernel');
      },
      dispose: () => {},
    };
  },
  torch: { script: 'ntk_analytic.py', args: (scale) => sizes[scale] },
};
