import * as tf from '@tensorflow/tfjs-core';
import {
  type Initializer,
  LayerList,
  Module,
  NnphysError,
  type Random,
  assertDim,
  assertOneOf,
  assertPositiveInteger,
  assertPositiveNumber,
  assertTensor,
  resolveRandom,
} from '@nnphys/core';
import type { PlainActivation, PlainNetwork } from '../export/plain_network.js';
import { type GroupSortMethod, type GroupSortSpec, checkGroupSortSpec, groupSortMethods, groupSortUnchecked, resolveGroupSize } from '../layers/group_sort.js';
import { LipschitzLinear } from '../layers/lipschitz_linear.js';
import type { NetworkAttrs } from '../kernels/network_kernels.js';
import { type ConstraintMode, type InputNorm, type NormKind, type Normalization, inputNorms } from '../norms/kinds.js';
import { type ChainScheme, chainKinds, chainSchemes, checkChain, layerBudgets } from './chain.js';
import { fusedBackends, fusedNetworkApply } from './fused_network.js';

export type HiddenActivation = 'groupsort' | 'relu';

export interface LipschitzNetworkOptions {
  inputs: number;
  hidden: number[];
  outputs: number;
  /** lambda: |f(x) - f(y)| <= lambda ||x - y||_norm for every output. Must be > 0. */
  lipschitz: number;
  /** Input norm p of the guarantee. */
  norm: InputNorm;
  /** GroupSort group size (default 2, MaxMin). Give this or numGroups. */
  groupSize?: number;
  /** GroupSort number of groups per layer (1 = full sort). */
  numGroups?: number;
  /** Hidden activation (default 'groupsort'); 'relu' is 1-Lipschitz too but attenuates gradients (§2.2.2). */
  activation?: HiddenActivation;
  /** Which chain of norm kinds (default 'chapter4'); ignored when `kinds` is given. */
  scheme?: ChainScheme;
  /** Explicit norm kind per layer; must form a certified chain for `norm`. */
  kinds?: NormKind[];
  /** Per-layer budgets c_l (default lambda^{1/m} each); they must multiply to at most lambda. */
  budgets?: number[];
  normalization?: Normalization;
  mode?: ConstraintMode;
  init?: Initializer;
  bias?: boolean;
  sortMethod?: GroupSortMethod;
  /**
   * Run the whole network as one fused kernel with one backward kernel (default true) on the cpu and wasm
   * backends. false keeps the layer-wise graph of tfjs ops (the reference; also used on other backends
   * and with sortMethod 'compare-exchange').
   */
  fused?: boolean;
  seed?: number | Random;
}

/**
 * A dense network with a certified Lipschitz bound (004 eqs. 2.5-2.7, 4.2-4.3):
 * m LipschitzLinear layers whose norms chain from the input norm p, with
 * budgets c_l, prod c_l <= lambda, and a 1-Lipschitz activation between
 * them. Guarantee: |f_o(x) - f_o(y)| <= lambda ||x - y||_p for every output o.
 */
export class LipschitzNetwork extends Module {
  readonly inputs: number;
  readonly outputs: number;
  readonly widths: number[];
  readonly lipschitz: number;
  readonly norm: InputNorm;
  readonly kinds: NormKind[];
  readonly budgets: number[];
  readonly activation: HiddenActivation;
  readonly sortMethod: GroupSortMethod;
  readonly layers: LipschitzLinear[];
  /** Whether the fused kernels are used where they apply (cpu and wasm; see `fused` in the options). */
  readonly fused: boolean;
  private readonly groupSizes: number[];
  private fusedAttrs: NetworkAttrs | undefined;

  constructor(options: LipschitzNetworkOptions) {
    super();
    const fn = 'LipschitzNetwork';
    if (options == null || typeof options !== 'object') throw new NnphysError(`${fn}: options must be an object, got ${String(options)}`);
    const { inputs, hidden, outputs, lipschitz, norm } = options;
    assertPositiveInteger(inputs, `${fn}: inputs`);
    assertPositiveInteger(outputs, `${fn}: outputs`);
    assertPositiveNumber(lipschitz, `${fn}: lipschitz`);
    assertOneOf(norm, `${fn}: norm`, inputNorms);
    if (!Array.isArray(hidden)) throw new NnphysError(`${fn}: hidden must be an array of layer widths, got ${String(hidden)}`);
    for (const [i, h] of hidden.entries()) assertPositiveInteger(h, `${fn}: hidden[${i}]`);
    this.activation = options.activation ?? 'groupsort';
    assertOneOf(this.activation, `${fn}: activation`, ['groupsort', 'relu']);
    this.sortMethod = options.sortMethod ?? 'kernel';
    assertOneOf(this.sortMethod, `${fn}: sortMethod`, groupSortMethods);
    this.fused = options.fused ?? true;
    if (typeof this.fused !== 'boolean') throw new NnphysError(`${fn}: fused must be a boolean, got ${String(options.fused)}`);
    let spec: GroupSortSpec = { groupSize: 2 };
    if (options.groupSize !== undefined || options.numGroups !== undefined) {
      if (this.activation !== 'groupsort') throw new NnphysError(`${fn}: groupSize/numGroups apply to activation 'groupsort', got activation '${this.activation}'`);
      spec = checkGroupSortSpec({ groupSize: options.groupSize, numGroups: options.numGroups } as GroupSortSpec, fn);
    }
    this.groupSizes = this.activation === 'groupsort' ? hidden.map((h, i) => resolveGroupSize(spec, h, `${fn}: hidden[${i}]`)) : hidden.map(() => 1);
    const m = hidden.length + 1;
    if (options.kinds !== undefined) {
      if (!Array.isArray(options.kinds) || options.kinds.length !== m) {
        throw new NnphysError(`${fn}: kinds must have one entry per layer (${m}), got ${Array.isArray(options.kinds) ? `length ${options.kinds.length}` : String(options.kinds)}`);
      }
      checkChain(options.kinds, norm, fn);
      this.kinds = [...options.kinds];
    } else {
      const scheme = options.scheme ?? 'chapter4';
      assertOneOf(scheme, `${fn}: scheme`, chainSchemes);
      this.kinds = chainKinds(norm, m, scheme, fn);
    }
    this.budgets = layerBudgets(lipschitz, m, options.budgets, fn);
    this.inputs = inputs;
    this.outputs = outputs;
    this.lipschitz = lipschitz;
    this.norm = norm;
    this.widths = [inputs, ...hidden, outputs];
    const rng = resolveRandom(options.seed);
    const list = this.addModule('layers', new LayerList());
    this.layers = [];
    for (let l = 0; l < m; l++) {
      const layer = new LipschitzLinear({
        inputs: this.widths[l] as number,
        outputs: this.widths[l + 1] as number,
        kind: this.kinds[l] as NormKind,
        maxNorm: this.budgets[l] as number,
        normalization: options.normalization,
        mode: options.mode,
        init: options.init,
        bias: options.bias,
        seed: rng,
      });
      list.push(layer);
      this.layers.push(layer);
    }
  }

  apply(x: tf.Tensor2D): tf.Tensor2D {
    assertTensor(x, 'LipschitzNetwork.apply: x', { rank: 2, dtype: 'float32' });
    assertDim(x, 1, this.inputs, 'LipschitzNetwork.apply: x', 'feature dimension (axis 1)');
    return this.applyUnchecked(x);
  }

  applyUnchecked(x: tf.Tensor2D): tf.Tensor2D {
    return this.forward(x, null);
  }

  /** Whether apply runs the fused kernels now (option `fused`, the active backend and the sort method). */
  usesFusedKernels(): boolean {
    return this.fused && fusedBackends.includes(tf.getBackend()) && (this.activation === 'relu' || this.sortMethod === 'kernel');
  }

  /**
   * f(x) (+ x r when a residual [inputs, outputs] is given, a constant: the monotonic term of eq. 2.3).
   * Fused when `usesFusedKernels()`, else layer-wise.
   */
  forward(x: tf.Tensor2D, residual: tf.Tensor2D | null): tf.Tensor2D {
    if (this.usesFusedKernels()) {
      const layers = this.layers;
      this.fusedAttrs ??= {
        widths: this.widths,
        kinds: this.kinds,
        normalizations: layers.map((l) => l.normalization),
        budgets: layers.map((l) => l.effectiveMaxNorm),
        reparam: layers[0]?.mode === 'reparam',
        activation: this.activation,
        groupSizes: this.groupSizes,
        bias: layers[0]?.bias != null,
        residual: false,
      };
      const attrs = residual ? { ...this.fusedAttrs, residual: true } : this.fusedAttrs;
      return fusedNetworkApply(
        x,
        layers.map((l) => l.weight),
        attrs.bias ? layers.map((l) => l.bias as tf.Variable) : [],
        residual,
        attrs,
      );
    }
    if (residual === null) return this.applyLayerwise(x);
    return tf.tidy(() => tf.add(this.applyLayerwise(x), tf.matMul(x, residual)) as tf.Tensor2D);
  }

  /** The layer-wise graph of tfjs ops (the reference the fused kernels are tested against). */
  applyLayerwise(x: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      let h = x;
      const m = this.layers.length;
      for (let l = 0; l < m; l++) {
        h = (this.layers[l] as LipschitzLinear).applyUnchecked(h);
        if (l < m - 1) h = (this.activation === 'relu' ? tf.relu(h) : groupSortUnchecked(h, this.groupSizes[l] as number, this.sortMethod)) as tf.Tensor2D;
      }
      return h;
    });
  }

  /** Project mode: maps every layer's raw weight back into its ball (use as train's afterStep). No-op in reparam mode. */
  project(): void {
    for (const layer of this.layers) layer.project();
  }

  /** The activations between layers, as the plain network records them. */
  plainActivations(): PlainActivation[] {
    return this.groupSizes.map((s) => (this.activation === 'relu' ? { type: 'relu' } : { type: 'groupsort', groupSize: s }));
  }

  /** The constrained weights baked into a plain network (what inference and certificates use). */
  toPlain(): PlainNetwork {
    return {
      layers: this.layers.map((layer) => {
        const w = layer.constrainedWeight();
        const weight = Float32Array.from(w.dataSync() as Float32Array);
        w.dispose();
        return { inputs: layer.inputs, outputs: layer.outputs, weight, bias: layer.bias ? Float32Array.from(layer.bias.dataSync() as Float32Array) : null };
      }),
      activations: this.plainActivations(),
      residual: null,
      outputActivation: 'identity',
      norm: this.norm,
      lipschitz: this.lipschitz,
    };
  }
}
