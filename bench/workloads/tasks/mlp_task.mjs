// Data-parallel task for core.mlp-train-workers: the MLP of core.mlp-step; every global batch of `batch` rows is
// split evenly across the replicas, `steps` batches per epoch. Data are generated once per replica from one seed.
import { MLP, Random } from '@nnphys/core';
import * as tf from '@tensorflow/tfjs-core';

export default function createTask({ replica, replicas, options }) {
  const { batch, widths, steps } = options;
  const rng = new Random(1);
  const rows = batch * steps;
  const x = tf.tensor2d(rng.fillNormal(new Float32Array(rows * widths[0])), [rows, widths[0]]);
  const y = tf.tensor2d(rng.fillNormal(new Float32Array(rows)), [rows, 1]);
  const shard = batch / replicas;
  // Slices made once: the timed loop measures training, not data preparation.
  const shards = Array.from({ length: steps }, (_, b) => ({
    x: tf.slice(x, [b * batch + replica * shard, 0], [shard, widths[0]]),
    y: tf.slice(y, [b * batch + replica * shard, 0], [shard, 1]),
  }));
  x.dispose();
  y.dispose();
  const model = new MLP({ inputs: widths[0], hidden: widths.slice(1, -1), outputs: widths.at(-1), seed: 2 });
  return {
    model,
    loss: (b) => tf.losses.meanSquaredError(b.y, model.apply(b.x)),
    data: () => shards,
    dispose: () => tf.dispose(shards.flatMap((b) => [b.x, b.y])),
  };
}
