import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { type ModeLossOptions, discoLoss, flatnessLoss, modeLoss } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

const t = (v: number[], dtype: 'float32' | 'int32' = 'float32') => tf.tensor1d(v, dtype);

function call(options: ModeLossOptions, s: number[], m: number[], y: number[], w?: number[]) {
  return () =>
    tf.tidy(() => {
      modeLoss(options)(t(s), t(m), t(y), w ? t(w) : undefined);
    });
}

describe('modeLoss rejects bad options with NnphysError naming the option', () => {
  test.each<[ModeLossOptions, RegExp]>([
    [{ order: -1 }, /order must be a non-negative integer, got -1/],
    [{ order: 1.5 }, /order must be a non-negative integer, got 1.5/],
    [{ order: 0, maxSlope: 0.5 }, /maxSlope .* needs order >= 1, got order 0/],
    [{ order: 1, maxSlope: 0 }, /maxSlope must be a finite number > 0, got 0/],
    [{ order: 1, monotonic: true }, /monotonic .* needs order 2, got order 1/],
    [{ order: 3, monotonic: true }, /needs order 2, got order 3/],
    [{ order: 1, bins: 0 }, /bins must be a positive integer, got 0/],
    [{ order: 1, sbins: -3 }, /sbins must be a positive integer, got -3/],
    [{ order: 1, massMap: 'range' }, /massRange is required when massMap is 'range'/],
    [{ order: 1, massRange: [3, 1] }, /massRange must be \[lo, hi\] with finite lo < hi, got \[3,1\]/],
    [{ order: 1, scoreRange: [0, Number.NaN] }, /scoreRange must be \[lo, hi\]/],
    [{ order: 1, projection: 'svd' as 'quadrature' }, /projection must be one of "quadrature", "leastSquares", got "svd"/],
    [{ order: 1, reduction: 'max' as 'sum' }, /reduction must be one of "sum", "mean", got "max"/],
  ])('%j', (options, message) => {
    expect(() => modeLoss(options)).toThrow(NnphysError);
    expect(() => modeLoss(options)).toThrow(message);
  });
});

describe('modeLoss rejects bad batches with NnphysError', () => {
  const s = [0.1, 0.4, 0.5, 0.9, 0.3, 0.7];
  const m = [1, 2, 3, 4, 5, 6];
  const y = [0, 0, 0, 0, 1, 0];

  test('scores outside the declared range, or NaN', () => {
    expect(call({ order: 0, bins: 2 }, [0.1, 1.2, 0.5, 0.9, 0.3, 0.7], m, y)).toThrow(/scores\[1\] must lie in scoreRange \[0, 1\] .*got 1.2/);
    expect(call({ order: 0, bins: 2 }, [0.1, Number.NaN, 0.5, 0.9, 0.3, 0.7], m, y)).toThrow(/scores\[1\] .*got NaN/);
    // Signal scores do not enter the background-only CDFs, so they are not range-checked.
    expect(call({ order: 0, bins: 2 }, [0.1, 0.4, 0.5, 0.9, 7, 0.7], m, y)).not.toThrow();
    expect(call({ order: 0, bins: 2, scoreRange: [-5, 5] }, [-2, 1.2, 0.5, 0.9, 0.3, 0.7], m, y)).not.toThrow();
  });

  test('mismatched lengths, wrong ranks and dtypes', () => {
    const loss = modeLoss({ order: 0, bins: 2 });
    expect(() => tf.tidy(() => loss(t(s), t([1, 2, 3]), t(y)))).toThrow(/mass must have the same length as scores \(6\), got a tensor of shape \[3\]/);
    expect(() => tf.tidy(() => loss(t(s), t(m), t([0, 1])))).toThrow(/labels must have the same length as scores \(6\)/);
    expect(() => tf.tidy(() => loss(t(s), t(m), t(y), t([1, 1])))).toThrow(/weights must have the same length as scores \(6\)/);
    expect(() => tf.tidy(() => loss(t([0, 1, 0, 1, 0, 1], 'int32') as tf.Tensor1D, t(m), t(y)))).toThrow(/scores must have dtype float32, got a int32 tensor/);
    expect(() => tf.tidy(() => loss(tf.zeros([2, 3]) as unknown as tf.Tensor1D, t(m), t(y)))).toThrow(/scores must have rank 1/);
    expect(() => loss([0.1] as unknown as tf.Tensor1D, t(m), t(y))).toThrow(/scores must be a tensor, got an array/);
  });

  test('labels not in {0, 1}, negative weights, masses outside massRange', () => {
    expect(call({ order: 0, bins: 2 }, s, m, [0, 0, 2, 0, 1, 0])).toThrow(/labels\[2\] must be 0 \(background\) or 1 \(signal\), got 2/);
    expect(call({ order: 0, bins: 2 }, s, m, y, [1, 1, -1, 1, 1, 1])).toThrow(/weights\[2\] must be a finite number >= 0, got -1/);
    expect(call({ order: 0, bins: 2, massRange: [0, 5] }, s, m, y)).toThrow(/mass\[\d\] must lie in massRange \[0, 5\], got 6/);
  });

  test('no background events, bins > events, too few distinct masses for the order', () => {
    expect(call({ order: 0, bins: 2 }, s, m, [1, 1, 1, 1, 1, 1])).toThrow(/no background events \(label 0\) with weight > 0, got 6 events/);
    expect(call({ order: 0, bins: 2 }, s, m, y, [0, 0, 0, 0, 1, 0])).toThrow(/no background events/);
    expect(call({ order: 0, bins: 6 }, s, m, y)).toThrow(/bins \(6\) must not exceed the number of background events .* in the batch, got 5/);
    expect(call({ order: 2, bins: 4 }, s, [1, 1, 1, 2, 2, 2], y)).toThrow(/MoDe of order 2 needs at least 3 mass bins with events, got 2 \(of 4 requested/);
    expect(call({ order: 0, bins: 2 }, s, [3, 3, 3, 3, 3, 3], y)).toThrow(/mass must vary within the batch/);
  });

  test('flatness and DisCo losses check their batches too', () => {
    expect(() => tf.tidy(() => flatnessLoss({ bins: 9 })(t(s), t(m), t(y)))).toThrow(/bins \(9\) must not exceed/);
    expect(() => tf.tidy(() => discoLoss()(t(s), t(m), t([1, 1, 1, 1, 1, 1])))).toThrow(/DisCo: the batch has no background events/);
    expect(() => tf.tidy(() => discoLoss()(t(s), t(m), t([0, 0, 3, 0, 1, 0])))).toThrow(/labels\[2\] must be 0/);
  });

  test('a failing call leaks no tensors', () => {
    const args = [t(s), t(m), t([1, 1, 1, 1, 1, 1])] as const;
    const before = tf.memory().numTensors;
    expect(() => modeLoss({ order: 1, bins: 2 })(...args)).toThrow(NnphysError);
    expect(() => discoLoss()(...args)).toThrow(NnphysError);
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...args]);
  });
});
