import * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '../errors.js';
import { type Random, resolveRandom } from '../random.js';
import { assertPositiveInteger } from '../validate.js';
import { type Activation, activation } from './activations.js';
import type { Initializer } from './init.js';
import { Linear } from './linear.js';
import { Module } from './module.js';

export interface MLPOptions {
  inputs: number;
  hidden: number[];
  outputs: number;
  /** Between layers, not after the last (default 'relu'). */
  activation?: Activation;
  /** Applied after the last layer (default none). */
  outputActivation?: Activation;
  init?: Initializer;
  bias?: boolean;
  sigmaW?: number;
  sigmaB?: number;
  seed?: number | Random;
}

/** A stack of Linear layers named layers.0, layers.1, ... with an activation between them. */
export class MLP extends Module {
  readonly layers: Linear[];
  readonly widths: number[];
  private readonly act: (x: tf.Tensor) => tf.Tensor;
  private readonly outAct: ((x: tf.Tensor) => tf.Tensor) | null;

  constructor(options: MLPOptions) {
    super();
    const { inputs, hidden, outputs } = options;
    assertPositiveInteger(inputs, 'MLP: inputs');
    assertPositiveInteger(outputs, 'MLP: outputs');
    if (!Array.isArray(hidden)) throw new NnphysError(`MLP: hidden must be an array of layer widths, got ${typeof hidden}`);
    for (const [i, h] of hidden.entries()) assertPositiveInteger(h, `MLP: hidden[${i}]`);
    this.act = activation(options.activation ?? 'relu');
    this.outAct = options.outputActivation ? activation(options.outputActivation) : null;
    this.widths = [inputs, ...hidden, outputs];
    const rng = resolveRandom(options.seed);
    const holder = this.addModule('layers', new LayerList());
    this.layers = [];
    for (let i = 0; i + 1 < this.widths.length; i++) {
      const layer = new Linear({
        inputs: this.widths[i] as number,
        outputs: this.widths[i + 1] as number,
        init: options.init,
        bias: options.bias,
        sigmaW: options.sigmaW,
        sigmaB: options.sigmaB,
        seed: rng,
      });
      holder.push(layer);
      this.layers.push(layer);
    }
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    // tidy is safe under gradient recording: the tape keeps its own copies of saved tensors.
    return tf.tidy(() => {
      let h: tf.Tensor = x;
      const n = this.layers.length;
      for (let i = 0; i < n; i++) {
        h = (this.layers[i] as Linear).apply(h as tf.Tensor2D);
        if (i < n - 1) h = this.act(h);
      }
      return (this.outAct ? this.outAct(h) : h) as tf.Tensor2D;
    });
  }
}

/** A numbered list of child modules ("0", "1", ...). */
export class LayerList extends Module {
  private readonly items: Module[] = [];

  push(module: Module): void {
    this.addModule(String(this.items.length), module);
    this.items.push(module);
  }

  get length(): number {
    return this.items.length;
  }

  at(i: number): Module {
    const m = this.items[i];
    if (!m) throw new NnphysError(`LayerList.at: index ${i} out of range [0, ${this.items.length})`);
    return m;
  }

  apply(): never {
    throw new NnphysError('LayerList is a container; apply its items');
  }
}
