import * as tf from '@tensorflow/tfjs-core';
import {
  LayerList,
  Linear,
  Module,
  NnphysError,
  assertDim,
  assertTensor,
  decodeSafetensors,
  loadWeightsFromBytes,
  saveWeights,
  weightsToBytes,
} from '@nnphys/core';
import type { NetworkAttrs } from '../kernels/network_kernels.js';
import { groupSortUnchecked } from '../layers/group_sort.js';
import { fusedBackends, fusedNetworkApply } from '../networks/fused_network.js';
import type { InputNorm } from '../norms/kinds.js';
import { type OutputActivation, type PlainActivation, type PlainNetwork, checkPlainNetwork } from './plain_network.js';

/** Anything that can bake its constrained weights into a plain network. */
export interface Bakeable {
  toPlain(): PlainNetwork;
  /** Whether the model runs the fused kernels (the export then does too, so outputs stay bit-identical). */
  readonly fused?: boolean;
}

/** The architecture of an exported network, stored as safetensors metadata. */
export interface ExportedArchitecture {
  widths: number[];
  bias: boolean[];
  activations: PlainActivation[];
  residual: boolean;
  outputActivation: OutputActivation;
  norm: InputNorm;
  lipschitz: number;
}

const FORMAT = 'nnphys-lipschitz-exported/1';

/**
 * A plain tfjs network holding baked (already constrained) weights: core
 * `Linear` layers named layers.0, layers.1, ..., the same activations, and
 * the monotonic residual as a non-trainable variable. No normalisation runs
 * at inference, and the outputs are bit-identical to the model it came from
 * (same ops on the same float32 values: the fused network kernel with the
 * weights used as they are on cpu and wasm, like the model's fused path; or
 * the layer-wise graph when `fused` is false, as `exportNetwork` sets it for a
 * model built with `fused: false`). This is deel-lip's `vanilla_export`.
 */
export class ExportedNetwork extends Module {
  readonly architecture: ExportedArchitecture;
  readonly layers: Linear[];
  readonly residual: tf.Variable | null;
  /** Run the fused network kernel on cpu and wasm (default true); false: the layer-wise graph. */
  fused = true;

  constructor(architecture: ExportedArchitecture) {
    super();
    const { widths, bias, activations } = architecture;
    if (!Array.isArray(widths) || widths.length < 2) throw new NnphysError(`ExportedNetwork: widths must list at least inputs and outputs, got ${JSON.stringify(widths)}`);
    if (!Array.isArray(activations) || activations.length !== widths.length - 2) {
      throw new NnphysError(`ExportedNetwork: expected ${widths.length - 2} activations, got ${JSON.stringify(activations)}`);
    }
    this.architecture = JSON.parse(JSON.stringify(architecture)) as ExportedArchitecture;
    const list = this.addModule('layers', new LayerList());
    this.layers = [];
    for (let l = 0; l + 1 < widths.length; l++) {
      const layer = new Linear({ inputs: widths[l] as number, outputs: widths[l + 1] as number, bias: bias[l] ?? true, init: 'zeros' });
      list.push(layer);
      this.layers.push(layer);
    }
    this.residual = architecture.residual ? this.addVariable('residual', tf.zeros([widths[0] as number, 1]), false) : null;
  }

  get inputs(): number {
    return this.architecture.widths[0] as number;
  }

  get norm(): InputNorm {
    return this.architecture.norm;
  }

  /** Builds the module from a plain network (copies the weights). */
  static fromPlain(plain: PlainNetwork): ExportedNetwork {
    checkPlainNetwork(plain, 'ExportedNetwork.fromPlain');
    const net = new ExportedNetwork({
      widths: [plain.layers[0]?.inputs as number, ...plain.layers.map((l) => l.outputs)],
      bias: plain.layers.map((l) => l.bias !== null),
      activations: plain.activations,
      residual: plain.residual !== null,
      outputActivation: plain.outputActivation,
      norm: plain.norm,
      lipschitz: plain.lipschitz,
    });
    tf.tidy(() => {
      for (const [l, layer] of plain.layers.entries()) {
        const target = net.layers[l] as Linear;
        target.weight.assign(tf.tensor2d(layer.weight, [layer.inputs, layer.outputs]));
        if (layer.bias && target.bias) target.bias.assign(tf.tensor1d(layer.bias));
      }
      if (plain.residual && net.residual) net.residual.assign(tf.tensor2d(plain.residual, [plain.residual.length, 1]));
    });
    return net;
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    const inputs = this.architecture.widths[0] as number;
    assertTensor(x, 'ExportedNetwork.apply: x', { rank: 2, dtype: 'float32' });
    assertDim(x, 1, inputs, 'ExportedNetwork.apply: x', 'feature dimension (axis 1)');
    return tf.tidy(() => {
      const fused = this.fusedAttrs();
      if (fused) {
        const h = fusedNetworkApply(
          x,
          this.layers.map((l) => l.weight),
          fused.bias ? this.layers.map((l) => l.bias as tf.Variable) : [],
          this.residual,
          fused,
        );
        if (this.architecture.outputActivation === 'sigmoid') return tf.sigmoid(h);
        if (this.architecture.outputActivation === 'relu') return tf.relu(h);
        return h;
      }
      let h: tf.Tensor2D = x;
      const m = this.layers.length;
      for (let l = 0; l < m; l++) {
        h = (this.layers[l] as Linear).apply(h);
        const act = this.architecture.activations[l];
        if (act) h = (act.type === 'relu' ? tf.relu(h) : groupSortUnchecked(h, act.groupSize)) as tf.Tensor2D;
      }
      if (this.residual) h = tf.add(h, tf.matMul(x, this.residual)) as tf.Tensor2D;
      if (this.architecture.outputActivation === 'sigmoid') return tf.sigmoid(h);
      if (this.architecture.outputActivation === 'relu') return tf.relu(h);
      return h;
    });
  }

  /** The fused kernel's attributes (weights used as they are), or null when the layer-wise graph runs. */
  private fusedAttrs(): NetworkAttrs | null {
    if (!this.fused || !fusedBackends.includes(tf.getBackend())) return null;
    const { widths, activations } = this.architecture;
    const bias = this.layers.every((l) => l.bias !== null);
    if (!bias && this.layers.some((l) => l.bias !== null)) return null;
    const relu = activations.every((a) => a.type === 'relu');
    if (!relu && !activations.every((a) => a.type === 'groupsort')) return null;
    const m = this.layers.length;
    return {
      widths,
      kinds: Array.from({ length: m }, () => 'inf' as const), // unused: no normalisation (reparam false)
      normalizations: Array.from({ length: m }, () => 'vectorwise' as const),
      budgets: Array.from({ length: m }, () => 1),
      reparam: false,
      activation: relu ? 'relu' : 'groupsort',
      groupSizes: activations.map((a) => (a.type === 'groupsort' ? a.groupSize : 1)),
      bias,
      residual: this.residual !== null,
    };
  }

  toPlain(): PlainNetwork {
    return {
      layers: this.layers.map((layer) => ({
        inputs: layer.inputs,
        outputs: layer.outputs,
        weight: Float32Array.from(layer.weight.dataSync() as Float32Array),
        bias: layer.bias ? Float32Array.from(layer.bias.dataSync() as Float32Array) : null,
      })),
      activations: this.architecture.activations.map((a) => ({ ...a })),
      residual: this.residual ? Float32Array.from(this.residual.dataSync() as Float32Array) : null,
      outputActivation: this.architecture.outputActivation,
      norm: this.architecture.norm,
      lipschitz: this.architecture.lipschitz,
    };
  }

  /** The network as safetensors bytes: weights plus the architecture in the metadata. */
  toBytes(): Uint8Array {
    return weightsToBytes(this, this.metadata());
  }

  /** The safetensors metadata that identifies the file and records the architecture. */
  metadata(): Record<string, string> {
    return { nnphysLipschitz: FORMAT, architecture: JSON.stringify(this.architecture) };
  }

  /** Rebuilds an exported network from `toBytes()` output (architecture from the metadata). */
  static fromBytes(bytes: Uint8Array, source = 'buffer'): ExportedNetwork {
    const file = decodeSafetensors(bytes, source);
    if (file.metadata.nnphysLipschitz !== FORMAT || typeof file.metadata.architecture !== 'string') {
      throw new NnphysError(`ExportedNetwork.fromBytes (${source}): not an exported @nnphys/lipschitz network (metadata nnphysLipschitz = ${JSON.stringify(file.metadata.nnphysLipschitz)})`);
    }
    const net = new ExportedNetwork(JSON.parse(file.metadata.architecture) as ExportedArchitecture);
    try {
      loadWeightsFromBytes(net, bytes, {}, source);
    } catch (error) {
      net.dispose();
      throw error;
    }
    return net;
  }
}

/** deel-lip's vanilla_export: the model's constrained weights as a plain tfjs network. */
export function exportNetwork(model: Bakeable): ExportedNetwork {
  if (model == null || typeof (model as Bakeable).toPlain !== 'function') throw new NnphysError('exportNetwork: model must be a LipschitzNetwork or MonotonicNetwork');
  const net = ExportedNetwork.fromPlain(model.toPlain());
  net.fused = model.fused ?? true;
  return net;
}

/** Saves an exported network (weights and architecture) to a safetensors file. */
export async function saveExported(net: ExportedNetwork, path: string): Promise<void> {
  if (!(net instanceof ExportedNetwork)) throw new NnphysError('saveExported: net must be an ExportedNetwork (use exportNetwork(model) first)');
  await saveWeights(net, path, net.metadata());
}

/** Loads a file written by `saveExported`. */
export async function loadExported(path: string): Promise<ExportedNetwork> {
  const fs = await import('node:fs/promises');
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await fs.readFile(path));
  } catch (error) {
    throw new NnphysError(`loadExported: could not read ${path}: ${(error as Error).message}`);
  }
  return ExportedNetwork.fromBytes(bytes, path);
}
