import * as tf from '@tensorflow/tfjs-core';
import type { Random } from '../random.js';
import { assertDim, assertOneOf, assertPositiveInteger, assertPositiveNumber, assertTensor } from '../validate.js';
import { type Initializer, initializers, initWeights } from './init.js';
import { Module } from './module.js';

export interface LinearOptions {
  inputs: number;
  outputs: number;
  bias?: boolean;
  /** Weight initialiser (default 'glorot'). 'ntk' selects the NTK parameterisation. */
  init?: Initializer;
  /** NTK parameterisation only: y = (sigmaW / sqrt(inputs)) x W + sigmaB b, W, b ~ N(0, 1). Defaults 1 and 0. */
  sigmaW?: number;
  sigmaB?: number;
  seed?: number | Random;
}

/**
 * y = x W + b with W stored as [inputs, outputs] (tfjs layout). With
 * init 'ntk' the layer is in NTK parameterisation: the weights are standard
 * normal and the forward pass multiplies by sigmaW / sqrt(inputs) (and the
 * bias by sigmaB), so that gradients scale as in Jacot et al. 2018.
 */
export class Linear extends Module {
  readonly inputs: number;
  readonly outputs: number;
  readonly init: Initializer;
  readonly weight: tf.Variable;
  readonly bias: tf.Variable | null;
  readonly weightScale: number;
  readonly biasScale: number;

  constructor(options: LinearOptions) {
    super();
    const { inputs, outputs, bias = true, init = 'glorot', seed } = options;
    assertPositiveInteger(inputs, 'Linear: inputs');
    assertPositiveInteger(outputs, 'Linear: outputs');
    assertOneOf(init, 'Linear: init', initializers);
    this.inputs = inputs;
    this.outputs = outputs;
    this.init = init;
    const ntk = init === 'ntk';
    const sigmaW = options.sigmaW ?? 1;
    const sigmaB = options.sigmaB ?? (ntk ? 0 : 1);
    if (options.sigmaW !== undefined) assertPositiveNumber(sigmaW, 'Linear: sigmaW');
    this.weightScale = ntk ? sigmaW / Math.sqrt(inputs) : 1;
    this.biasScale = ntk ? sigmaB : 1;
    this.weight = this.addVariable('weight', initWeights([inputs, outputs], init, seed));
    if (bias) {
      const b = ntk && sigmaB > 0 ? initWeights([1, outputs], 'ntk', seed).reshape([outputs]) : tf.zeros([outputs]);
      this.bias = this.addVariable('bias', b);
    } else {
      this.bias = null;
    }
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    assertTensor(x, 'Linear.apply: x', { rank: 2, dtype: 'float32' });
    assertDim(x, 1, this.inputs, 'Linear.apply: x', 'feature dimension (axis 1)');
    return tf.tidy(() => {
      let y = tf.matMul(x, this.weight) as tf.Tensor2D;
      if (this.weightScale !== 1) y = tf.mul(y, this.weightScale);
      if (this.bias) y = tf.add(y, this.biasScale === 1 ? this.bias : tf.mul(this.bias, this.biasScale));
      return y;
    });
  }
}
