// Message passing forward+backward: gather sender rows, segment-sum onto receivers, gradient w.r.t. node features.
import * as tf from '@tensorflow/tfjs-core';
import { Random, gatherRows, segmentSum } from '@nnphys/core';

const sizes = { full: { nodes: 10_000, edges: 100_000, features: 64 }, smoke: { nodes: 100, edges: 1000, features: 8 } };

export function messagePassingWorkload({ id, title, size, stockLimit }) {
  return {
    id,
    title,
    configs: ['wasm', 'wasm-stock', 'cpu', 'cpu-stock'],
    items: (scale) => size(scale).edges,
    itemName: 'edges',
    async setup({ backend, stock, scale }) {
      const { nodes, edges, features } = size(scale);
      if (stock && backend === 'wasm') return { skip: 'stock wasm has no UnsortedSegmentSum kernel (the gradient of tf.gather fails)' };
      if (stock && backend === 'cpu' && nodes * edges * features > stockLimit) {
        return { skip: `stock cpu UnsortedSegmentSum is O(nodes*edges*features): hours at this size (see core.message-passing-small)` };
      }
      const rng = new Random(3);
      const h = tf.tidy(() => tf.variable(tf.tensor2d(rng.fillNormal(new Float32Array(nodes * features)), [nodes, features])));
      const w = tf.tensor2d(rng.fillNormal(new Float32Array(nodes * features)), [nodes, features]);
      const senders = tf.tensor1d(Int32Array.from({ length: edges }, () => rng.int(nodes)), 'int32');
      const receivers = tf.tensor1d(Int32Array.from({ length: edges }, () => rng.int(nodes)), 'int32');
      const gather = stock ? (x, i) => tf.gather(x, i) : gatherRows;
      const scatter = stock ? (x, i, n) => tf.unsortedSegmentSum(x, i, n) : segmentSum;
      const f = () => tf.sum(tf.mul(scatter(gather(h, senders), receivers, nodes), w));
      return {
        iterate: async () => {
          const { value, grads } = tf.variableGrads(f, [h]);
          await grads[h.name].data();
          value.dispose();
          grads[h.name].dispose();
        },
        dispose: () => tf.dispose([h, w, senders, receivers]),
      };
    },
    torch: { script: 'message_passing.py', args: (scale) => size(scale) },
  };
}

export default messagePassingWorkload({
  id: 'core.message-passing',
  title: 'Message passing fwd+bwd, 100k edges x 64, 10k nodes',
  size: (scale) => sizes[scale],
  stockLimit: 1e9,
});
