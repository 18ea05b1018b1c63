import * as tf from '@tensorflow/tfjs-core';
import { type Activation, LayerNorm, Linear, Module, type Random, activation, assertOneOf } from '@nnphys/core';

/** Options every node-updating layer shares. */
export interface NodeOutputOptions {
  /** Applied to the layer's new node states (default: none). */
  activation?: Activation;
  /** Layer normalisation of the new node states, before the activation (default 'none'). */
  norm?: 'layer' | 'none';
  /**
   * Add the input node states to the output, h' = act(norm(conv(h))) + h
   * (He et al. 2016; a bias-free linear projection when the widths differ). Default false.
   */
  residual?: boolean;
}

/** The norm -> activation -> residual tail shared by the graph layers. */
export class NodeOutput extends Module {
  private readonly act: ((x: tf.Tensor) => tf.Tensor) | null;
  private readonly norm: LayerNorm | null;
  private readonly projection: Linear | null;
  private readonly residual: boolean;
  private readonly actName: string | null;

  constructor(inputs: number, outputs: number, options: NodeOutputOptions, seed: Random, owner: string) {
    super();
    const norm = options.norm ?? 'none';
    assertOneOf(norm, `${owner}: norm`, ['layer', 'none']);
    this.act = options.activation !== undefined ? activation(options.activation) : null;
    this.actName = typeof options.activation === 'string' ? options.activation : options.activation === undefined ? 'identity' : null;
    this.norm = norm === 'layer' ? this.addModule('norm', new LayerNorm({ features: outputs })) : null;
    this.residual = options.residual ?? false;
    this.projection = this.residual && inputs !== outputs ? this.addModule('projection', new Linear({ inputs, outputs, bias: false, seed })) : null;
  }

  /** The tail as fused kernels can run it (no norm, ReLU or no activation, identity or no residual), else null. */
  fusedConfig(): { tailRelu: boolean; residual: boolean } | null {
    if (this.norm || this.projection || (this.actName !== 'relu' && this.actName !== 'identity')) return null;
    return { tailRelu: this.actName === 'relu', residual: this.residual };
  }

  apply(out: tf.Tensor2D, input: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let y: tf.Tensor2D = out;
      if (this.norm) y = this.norm.apply(y);
      if (this.act) y = this.act(y) as tf.Tensor2D;
      if (this.residual) y = tf.add(y, this.projection ? this.projection.apply(input) : input);
      return y;
    });
  }
}
