// Data-parallel task for diffusion-lm.mlmu-training: the same Transformer; each global batch of `batch` sequences
// is split evenly across replicas, `steps` batches per epoch, a fresh MLM-U mask draw per step and replica.
import { Random } from '@nnphys/core';
import { Transformer, mlmULoss } from '@nnphys/diffusion-lm';

export default function createTask({ replica, replicas, options }) {
  const { batch, length, dim, heads, layers, vocab, steps } = options;
  const rng = new Random(1);
  const tokens = Array.from({ length: batch }, () => Array.from({ length }, () => rng.int(vocab)));
  const shard = batch / replicas;
  const mine = tokens.slice(replica * shard, (replica + 1) * shard);
  const model = new Transformer({ vocabSize: vocab + 1, outputs: vocab, maxLength: length, dim, heads, layers, causal: false, seed: 2 });
  const masks = new Random(100 + replica);
  return {
    model,
    loss: (b) => mlmULoss(model, b.tokens, { maskToken: vocab, seed: b.seed }),
    data: () => Array.from({ length: steps }, () => ({ tokens: mine, seed: masks.nextSeed() })),
  };
}
