import * as tf from '@tensorflow/tfjs-core';
import { type Activation, Linear, MLP, type Module, NnphysError, activation } from '@nnphys/core';
import { Network } from '../network.js';
import type { FeatureSource } from './blocks.js';

/** A row-wise network seen as alternating linear layers and parameter-free maps. */
export type LayerwiseStage = { linear: Linear } | { map: (x: tf.Tensor2D) => tf.Tensor2D };

/**
 * The stages of a model for the layer-wise empirical NTK, or a reason why it
 * does not apply. Supported: `Network` (from serial(...).init) with row-wise
 * layers whose parameters are core `Linear`s, and core's `MLP`.
 */
export function layerwiseStages(model: Module): LayerwiseStage[] | string {
  let stages: LayerwiseStage[];
  if (model instanceof Network) {
    stages = [];
    for (const s of model.stages) {
      if (!s.layer.rowwise) return `layer ${s.layer.name} is not row-wise`;
      if (s.params === null) stages.push({ map: (x) => s.layer.apply(x, null) });
      else if (s.params instanceof Linear) stages.push({ linear: s.params });
      else return `layer ${s.layer.name} has parameters that are not a core Linear`;
    }
  } else if (model instanceof MLP) {
    // core's MLP keeps its activations private; read them defensively (see README, "core").
    const m = model as unknown as { act?: unknown; outAct?: unknown };
    if (typeof m.act !== 'function') return "core MLP's activation is not accessible";
    const act = activation(m.act as Activation) as (x: tf.Tensor2D) => tf.Tensor2D;
    stages = [];
    model.layers.forEach((l, i) => {
      stages.push({ linear: l });
      if (i < model.layers.length - 1) stages.push({ map: act });
    });
    if (typeof m.outAct === 'function') stages.push({ map: m.outAct as (x: tf.Tensor2D) => tf.Tensor2D });
  } else {
    return 'only Network (serial(...).init) and core MLP models have a layer-wise path';
  }
  // Every trainable variable must belong to a linear layer, or the sum below would miss it.
  const covered = new Set<tf.Variable>();
  for (const s of stages) {
    if ('linear' in s) {
      covered.add(s.linear.weight);
      if (s.linear.bias) covered.add(s.linear.bias);
    }
  }
  for (const v of model.trainableVariables()) if (!covered.has(v)) return 'the model has trainable variables outside its linear layers';
  return stages;
}

interface LayerFeatures {
  /** Input of each linear layer, [rows, in]. */
  a: tf.Tensor2D[];
  /** d f / d (output of each linear layer), [rows, out]. */
  d: tf.Tensor2D[];
}

/**
 * Layer-wise empirical NTK for row-wise networks (spec ntk §5): for a linear
 * layer y = s a W + s_b b with per-sample output gradient delta = df/dy,
 *   df/dW = s a^T delta,  df/db = s_b delta,
 * so its contribution is Theta_l = (delta1 delta2^T) (.) (s^2 a1 a2^T + s_b^2),
 * summed over layers. All deltas come from ONE batched reverse pass: zero
 * perturbations eps_l are added to each linear output, and since rows do not
 * interact, d(sum_i f(x_i))/d eps_l[i] = df(x_i)/dy_l(x_i). No per-sample
 * Jacobian is formed.
 */
export function layerwiseSource(stages: LayerwiseStage[], x: tf.Tensor2D, label: string): FeatureSource<LayerFeatures> {
  const linears = stages.filter((s): s is { linear: Linear } => 'linear' in s).map((s) => s.linear);
  const widths = linears.reduce((n, l) => n + l.inputs + l.outputs, 0);
  const weightScale2 = linears.map((l) => (l.weight.trainable ? l.weightScale * l.weightScale : 0));
  const biasScale2 = linears.map((l) => (l.bias?.trainable ? l.biasScale * l.biasScale : 0));
  const d = x.shape[1];
  return {
    rows: x.shape[0],
    // a and delta per layer, plus the forward activations alive during the pass
    bytesPerRow: 4 * 2 * widths,
    features(start, end) {
      return tf.tidy(() => {
        const xb = tf.slice(x, [start, 0], [end - start, d]);
        const a: tf.Tensor2D[] = [];
        let h = xb;
        for (const s of stages) {
          if ('linear' in s) {
            a.push(h);
            h = s.linear.apply(h);
          } else {
            h = s.map(h);
          }
        }
        if (h.shape[1] !== 1) {
          throw new NnphysError(`${label}: the model must have a single output (scalar-output model), got ${h.shape[1]} outputs; pass options.output to select one`);
        }
        const eps = linears.map((l) => tf.zeros([end - start, l.outputs]) as tf.Tensor2D);
        const f = (...e: tf.Tensor[]) => {
          let z = xb;
          let k = 0;
          for (const s of stages) z = 'linear' in s ? (tf.add(s.linear.apply(z), e[k++] as tf.Tensor) as tf.Tensor2D) : s.map(z);
          return tf.sum(z);
        };
        const deltas = tf.grads(f)(eps) as tf.Tensor2D[];
        return { a, d: deltas };
      }) as unknown as LayerFeatures;
    },
    kernel(p, q) {
      return tf.tidy(() => {
        let k: tf.Tensor | null = null;
        linears.forEach((_, l) => {
          const gd = tf.matMul(p.d[l] as tf.Tensor2D, q.d[l] as tf.Tensor2D, false, true);
          let inner: tf.Tensor = tf.mul(tf.matMul(p.a[l] as tf.Tensor2D, q.a[l] as tf.Tensor2D, false, true), weightScale2[l] as number);
          if ((biasScale2[l] as number) > 0) inner = tf.add(inner, biasScale2[l] as number);
          const term = tf.mul(gd, inner);
          k = k === null ? term : tf.add(k, term);
        });
        return (k as unknown as tf.Tensor).dataSync();
      });
    },
    dispose(f) {
      for (const t of f.a) t.dispose();
      for (const t of f.d) t.dispose();
    },
  };
}
