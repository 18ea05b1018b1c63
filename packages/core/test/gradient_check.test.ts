import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, expect, test } from 'vitest';
import { checkGradients, initBackend } from '../src/index.js';

beforeAll(async () => {
  await initBackend('cpu');
});

test('checkGradients passes a correct gradient and catches a wrong one', () => {
  const x = tf.tensor1d([0.3, -1.2, 2.0]);
  const right = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return { value: tf.sum(tf.sin(x)), gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => tf.mul(dy, tf.cos(s as tf.Tensor)) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  const wrong = tf.customGrad(((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    // off by 10% on purpose
    return { value: tf.sum(tf.sin(x)), gradFunc: (dy: tf.Tensor, [s]: tf.Tensor[]) => tf.mul(dy, tf.mul(tf.cos(s as tf.Tensor), 1.1)) };
  }) as unknown as Parameters<typeof tf.customGrad>[0]);
  expect(checkGradients((x) => right(x) as tf.Scalar, [x]).maxRelativeError).toBeLessThan(1e-3);
  expect(checkGradients((x) => wrong(x) as tf.Scalar, [x]).maxRelativeError).toBeGreaterThan(0.05);
});

test('random-direction mode is used for larger inputs and still catches errors', () => {
  const x = tf.randomNormal([20, 5], 0, 1, 'float32', 3);
  const wrong = tf.customGrad(((x: tf.Tensor) => ({ value: tf.sum(tf.square(x)), gradFunc: (dy: tf.Tensor) => tf.mul(dy, tf.zerosLike(x)) })) as unknown as Parameters<typeof tf.customGrad>[0]);
  const r = checkGradients((x) => wrong(x) as tf.Scalar, [x], { directions: 3 });
  expect(r.analytic.length).toBe(3);
  expect(r.maxRelativeError).toBeGreaterThan(0.5);
  expect(checkGradients((x) => tf.sum(tf.square(x)), [x]).maxRelativeError).toBeLessThan(1e-3);
});
