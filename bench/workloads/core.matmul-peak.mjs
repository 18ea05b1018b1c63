// float32 matmul 1024 x 1024 x 1024 through tf.matMul: the machine's achievable peak, measured in the same run as
// everything else. The report states every workload's FLOP/s as a fraction of the best of these rows (nnphys or
// PyTorch), and of the theoretical peak of the cores (32 FLOP/cycle/core on Zen 3 with AVX2+FMA at the clock the
// kernel reaches, which the VM does not report: measured throughput is the honest reference).
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '@nnphys/core';

const sizes = { full: { n: 1024 }, smoke: { n: 64 } };

export default {
  id: 'core.matmul-peak',
  title: 'float32 matmul 1024³ (machine peak reference)',
  configs: ['wasm', 'wasm-js', 'cpu'],
  flops: (scale) => 2 * sizes[scale].n ** 3,
  peakReference: true,
  async setup({ scale }) {
    const { n } = sizes[scale];
    const rng = new Random(1);
    const a = tf.tensor2d(rng.fillNormal(new Float32Array(n * n)), [n, n]);
    const b = tf.tensor2d(rng.fillNormal(new Float32Array(n * n)), [n, n]);
    return {
      iterate: async () => {
        const c = tf.matMul(a, b);
        c.dataSync();
        c.dispose();
      },
      dispose: () => tf.dispose([a, b]),
    };
  },
  torch: { script: 'matmul.py', args: (scale) => sizes[scale] },
};
