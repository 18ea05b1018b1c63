// MLM-U training step (004 eq. 7.5, subset estimator): a 2-layer, dim-128, 4-head pre-norm rotary Transformer,
// sequence length 32, batch 64, vocabulary 64 (+ mask), one Adam step per iteration. Same model and loss as
// bench/torch/diffusion_lm_mlmu.py.
import * as tf from '@tensorflow/tfjs-core';
import { Random, train } from '@nnphys/core';
import { Transformer, mlmULoss } from '@nnphys/diffusion-lm';

const sizes = {
  full: { batch: 64, length: 32, dim: 128, heads: 4, layers: 2, vocab: 64 },
  smoke: { batch: 8, length: 8, dim: 16, heads: 2, layers: 1, vocab: 16 },
};

// Forward FLOPs per token (multiply-add = 2): per layer qkv 6d², output projection 2d², MLP (hidden 4d) 16d²,
// attention scores and weighted values 4Td; the output head 2dV' (V' = vocab + mask, logits at every position).
// Training = 3x forward (backward ~ 2x). Layer norms, softmax, rotary and Adam are not counted.
function flopsPerStep({ batch, length, dim, layers, vocab }) {
  const perToken = layers * (24 * dim * dim + 4 * length * dim) + 2 * dim * (vocab + 1);
  return 3 * perToken * batch * length;
}

const task = new URL('./tasks/mlmu_task.mjs', import.meta.url);

/** Training runs continuously in the replicas; each iteration waits for the end of the next epoch. */
async function parallelSetup(backend, workers, s) {
  if (backend !== 'wasm') return { skip: 'replicas run the wasm backend' };
  let stop = false;
  let waiting = null;
  const running = train({
    task,
    workers,
    epochs: 1e9,
    taskOptions: { ...s, steps: 1 }, // one step per epoch: an iteration is one step, as in the other configs
    optimizer: { name: 'adam', learningRate: 1e-3 },
    progress: false,
    onEpochEnd: () => {
      const w = waiting;
      waiting = null;
      w?.();
      return stop ? false : undefined;
    },
  });
  running.catch(() => {});
  return {
    iterate: () =>
      new Promise((resolve, reject) => {
        waiting = resolve;
        running.then(() => reject(new Error('training ended early')), reject);
      }),
    dispose: async () => {
      stop = true;
      const result = await running;
      result.model.dispose();
    },
  };
}

export default {
  id: 'diffusion-lm.mlmu-training',
  title: 'MLM-U training step: 2-layer dim-128 4-head Transformer, length 32, batch 64, Adam',
  // 'wasm-x2': two data-parallel replicas (core's train({ workers: 2 })), 32 sequences each per step
  configs: ['wasm', 'wasm-x2', 'wasm-js', 'wasm-js-x2', 'cpu'],
  items: (scale) => sizes[scale].batch * sizes[scale].length,
  itemName: 'tokens',
  flops: (scale) => flopsPerStep(sizes[scale]),
  async setup({ backend, workers, scale }) {
    const s = sizes[scale];
    if (workers) return parallelSetup(backend, workers, s);
    const rng = new Random(1);
    const maskToken = s.vocab;
    const model = new Transformer({ vocabSize: s.vocab + 1, outputs: s.vocab, maxLength: s.length, dim: s.dim, heads: s.heads, layers: s.layers, causal: false, seed: 2 });
    const tokens = Array.from({ length: s.batch }, () => Array.from({ length: s.length }, () => rng.int(s.vocab)));
    const opt = tf.train.adam(1e-3);
    const vars = model.trainableVariables();
    return {
      iterate: async () => {
        const seed = rng.nextSeed();
        const cost = opt.minimize(() => mlmULoss(model, tokens, { maskToken, seed }), true, vars);
        await cost.data();
        cost.dispose();
      },
      dispose: () => {
        model.dispose();
        opt.dispose();
      },
    };
  },
  torch: { script: 'diffusion_lm_mlmu.py', args: (scale) => sizes[scale] },
};
