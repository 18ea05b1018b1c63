import * as tf from '@tensorflow/tfjs-core';
import { Module, assertDim, assertTensor } from '@nnphys/core';
import type { Layer } from './layer.js';

/** One stage of a finite network: a layer rule and its parameters (null when parameter-free). */
export interface Stage {
  readonly layer: Layer;
  readonly params: Module | null;
}

/** Holds the parameter modules under their stage index ("0", "2", ...), like neural-tangents' params tuple. */
class StageParams extends Module {
  add(index: number, module: Module): void {
    this.addModule(String(index), module);
  }
  apply(): never {
    throw new Error('StageParams is a container');
  }
}

/**
 * The finite network of an architecture (`serial(...).init(inputDim, seed)`):
 * a core `Module` whose variables are named "layers.<stage>.weight" and
 * "layers.<stage>.bias", in NTK parameterisation.
 */
export class Network extends Module {
  readonly inputDim: number;
  readonly outputDim: number;
  readonly stages: readonly Stage[];

  constructor(stages: Stage[], inputDim: number, outputDim: number) {
    super();
    this.inputDim = inputDim;
    this.outputDim = outputDim;
    const holder = this.addModule('layers', new StageParams());
    stages.forEach((s, i) => {
      if (s.params) holder.add(i, s.params);
    });
    this.stages = stages;
  }

  /** x: [batch, inputDim] float32 -> [batch, outputDim]. */
  apply(x: tf.Tensor2D): tf.Tensor2D {
    assertTensor(x, 'Network.apply: x', { rank: 2, dtype: 'float32' });
    assertDim(x, 1, this.inputDim, 'Network.apply: x', 'feature dimension (axis 1)');
    return tf.tidy(() => {
      let h = x;
      for (const s of this.stages) h = s.layer.apply(h, s.params);
      return h;
    });
  }
}
