import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { batchIndices, initBackend, Linear, MLP, NnphysError, Random, train } from '../src/index.js';

function regressionData(n: number, seedValue: number) {
  const rng = new Random(seedValue);
  const xs = Array.from({ length: n }, () => [rng.normal(), rng.normal()]);
  const ys = xs.map(([a, b]) => [3 * a! - 2 * b! + 0.5]);
  return { xs, ys };
}

describe.each(['cpu', 'wasm'] as const)('train on %s', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  test('recovers a linear map, tensor count stays flat across epochs', async () => {
    const { xs, ys } = regressionData(256, 1);
    const x = tf.tensor2d(xs);
    const y = tf.tensor2d(ys);
    const model = new Linear({ inputs: 2, outputs: 1, seed: 2 });
    const batches = batchIndices(256, 32).map((idx) => ({ x: tf.gather(x, idx), y: tf.gather(y, idx) }));
    const counts: number[] = [];
    const history = await train({
      model,
      data: batches,
      epochs: 60,
      optimizer: tf.train.adam(0.05),
      loss: (b) => tf.losses.meanSquaredError(b.y, model.apply(b.x)) as tf.Scalar,
      onEpochEnd: () => {
        counts.push(tf.memory().numTensors);
      },
      progress: false,
    });
    expect(history.epochs).toBe(60);
    expect(history.steps).toBe(60 * 8);
    expect(history.loss[59]).toBeLessThan(1e-4);
    expect(history.loss[59]).toBeLessThan(history.loss[0]! / 100);
    const w = model.weight.dataSync();
    expect(w[0]).toBeCloseTo(3, 2);
    expect(w[1]).toBeCloseTo(-2, 2);
    expect(model.bias!.dataSync()[0]).toBeCloseTo(0.5, 2);
    // Adam creates its slot variables in the first steps; afterwards the count must not grow.
    expect(counts[counts.length - 1]).toBe(counts[5]);
    model.dispose();
  });

  test('early stopping on a validation score and restoring the best weights', async () => {
    const model = new Linear({ inputs: 1, outputs: 1, seed: 3 });
    const x = tf.tensor2d([[1], [2]]);
    const y = tf.tensor2d([[2], [4]]);
    let epoch = 0;
    // a validation score that is best at epoch 2 and worse afterwards
    const scores = [5, 3, 1, 2, 4, 6, 8, 9, 10, 11];
    const snapshots: number[] = [];
    const history = await train({
      model,
      data: [{ x, y }],
      epochs: 10,
      optimizer: tf.train.sgd(0.01),
      loss: (b) => tf.losses.meanSquaredError(b.y, model.apply(b.x)) as tf.Scalar,
      validate: () => scores[epoch++]!,
      onEpochEnd: () => {
        snapshots.push(model.weight.dataSync()[0]!);
      },
      earlyStopping: { patience: 2, restoreBest: true },
      progress: false,
    });
    expect(history.stoppedEarly).toBe(true);
    expect(history.bestEpoch).toBe(2);
    expect(history.epochs).toBe(5);
    expect(model.weight.dataSync()[0]).toBeCloseTo(snapshots[2]!, 6);
    model.dispose();
  });

  test('afterStep runs after every optimizer step (projection hook)', async () => {
    const model = new Linear({ inputs: 1, outputs: 1, bias: false, seed: 4 });
    const data = [{ x: tf.tensor2d([[1]]), y: tf.tensor2d([[10]]) }];
    await train({
      model,
      data: () => [data[0]!, data[0]!],
      epochs: 5,
      optimizer: tf.train.sgd(0.5),
      loss: (b) => tf.losses.meanSquaredError(b.y, model.apply(b.x)) as tf.Scalar,
      afterStep: () => model.weight.assign(tf.clipByValue(model.weight, -1, 1)),
      progress: false,
    });
    expect(model.weight.dataSync()[0]).toBe(1);
    model.dispose();
  });

  test('a learning-rate schedule sets the rate of every step (SGD: each step moves by rate x gradient)', async () => {
    // loss = w (gradient 1): after steps 0..3 with rates 0.1, 0.2, 0.3, 0.4 the weight has moved by exactly -1.0.
    const model = new Linear({ inputs: 1, outputs: 1, bias: false, seed: 4 });
    const w0 = model.weight.dataSync()[0] as number;
    const x = tf.tensor2d([[1]]);
    const seen: number[] = [];
    await train({
      model,
      data: () => [{ x }, { x }],
      epochs: 2,
      optimizer: tf.train.sgd(123),
      loss: (b) => tf.sum(model.apply(b.x)) as tf.Scalar,
      learningRate: (step) => {
        seen.push(step);
        return 0.1 * (step + 1);
      },
      progress: false,
    });
    expect(seen).toEqual([0, 1, 2, 3]);
    expect((model.weight.dataSync()[0] as number) - w0).toBeCloseTo(-1.0, 5);
    await expect(train({ model, data: [{ x }], epochs: 1, loss: (b) => tf.sum(model.apply(b.x)) as tf.Scalar, learningRate: () => Number.NaN, progress: false })).rejects.toThrow(
      /learningRate\(0\) must be a positive finite number, got NaN/,
    );
    // with the default (fused) Adam the schedule applies too: a zero-ish rate barely moves the weights
    const before = model.weight.dataSync()[0] as number;
    await train({ model, data: [{ x }], epochs: 3, loss: (b) => tf.sum(model.apply(b.x)) as tf.Scalar, learningRate: () => 1e-9, progress: false });
    expect(Math.abs((model.weight.dataSync()[0] as number) - before)).toBeLessThan(1e-7);
    x.dispose();
    model.dispose();
  });

  test('a loss that becomes NaN stops training with an error naming the epoch', async () => {
    const model = new Linear({ inputs: 1, outputs: 1, seed: 5 });
    const x = tf.tensor2d([[Number.NaN]]);
    await expect(
      train({ model, data: [{ x }], epochs: 3, loss: (b) => tf.sum(model.apply(b.x)) as tf.Scalar, progress: false }),
    ).rejects.toThrow(/loss became NaN in epoch 0/);
    model.dispose();
  });

  test('async iterables, progress bar on a TTY stream, and bad options', async () => {
    const model = new MLP({ inputs: 1, hidden: [4], outputs: 1, seed: 6 });
    const written: string[] = [];
    const stream = { isTTY: true, columns: 100, write: (s: string) => written.push(s) };
    async function* batches() {
      yield { x: tf.tensor2d([[1]]), y: tf.tensor2d([[1]]) };
    }
    const h = await train({
      model,
      data: () => batches(),
      epochs: 2,
      loss: (b) => tf.losses.meanSquaredError(b.y, model.apply(b.x)) as tf.Scalar,
      progress: { label: 'fit', stream },
    });
    expect(h.epochs).toBe(2);
    expect(written.join('')).toMatch(/fit .*2\/2 loss/);
    const silent: string[] = [];
    await train({ model, data: [{ x: tf.tensor2d([[1]]), y: tf.tensor2d([[1]]) }], epochs: 1, loss: (b) => tf.losses.meanSquaredError(b.y, model.apply(b.x)) as tf.Scalar, progress: { stream: { isTTY: false, write: (s: string) => silent.push(s) } } });
    expect(silent).toEqual([]);
    await expect(train({ model, data: [], epochs: 1, loss: () => tf.scalar(0), progress: false })).rejects.toThrow(/epoch 0 produced no batches/);
    await expect(train({ model, data: 5 as never, epochs: 1, loss: () => tf.scalar(0) })).rejects.toThrow(NnphysError);
    await expect(train({ model, data: [1], epochs: 0, loss: () => tf.scalar(0) })).rejects.toThrow(/epochs must be a positive integer/);
    model.dispose();
  });
});
