import * as tf from '@tensorflow/tfjs-core';
import { NnphysError } from '@nnphys/core';
import type { FeatureSource } from './blocks.js';

/**
 * Parameters per float32 product. The wasm backend accumulates a matMul's
 * inner dimension naively in float32 (measured relative error 5e-4 for 2^20
 * terms, 2e-7 for 4096), so longer sums are split and added in float64.
 */
const CHUNK = 4096;

/**
 * Per-sample parameter gradients as features: row i is d f(x_i) / d theta,
 * flattened over `variables`, so K = J1 J2^T is the empirical NTK
 * Theta(x, x') = sum_mu df(x)/dtheta_mu df(x')/dtheta_mu (001, "Empirical NTK").
 * tfjs has no vmap/jvp, so this takes one reverse pass per sample (spec ntk §6);
 * it works for any model, including graph and Lipschitz models.
 */
export function jacobianSource(sampleOutput: (i: number) => tf.Tensor, rows: number, variables: tf.Variable[], label: string): FeatureSource<tf.Tensor2D[]> {
  const sizes = variables.map((v) => v.size);
  const p = sizes.reduce((a, b) => a + b, 0);
  return {
    rows,
    bytesPerRow: 4 * p,
    features(start, end) {
      const buf = new Float32Array((end - start) * p);
      for (let i = start; i < end; i++) {
        tf.tidy(() => {
          let result: { value: tf.Scalar; grads: tf.NamedTensorMap };
          try {
            result = tf.variableGrads(() => {
              const y = sampleOutput(i);
              if (y == null || typeof (y as tf.Tensor).size !== 'number') {
                throw new NnphysError(`${label}: the model output for input ${i} must be a tensor, got ${String(y)}`);
              }
              if (y.size !== 1) {
                throw new NnphysError(
                  `${label}: the model output for input ${i} must be a single number (scalar-output model), got shape [${y.shape.join(', ')}]; ` +
                    'pass options.output to select one output',
                );
              }
              return tf.sum(y) as tf.Scalar;
            }, variables);
          } catch (e) {
            if (e instanceof NnphysError) throw e;
            const msg = e instanceof Error ? e.message : String(e);
            if (/connection between any variable/.test(msg)) {
              throw new NnphysError(`${label}: the model output does not depend on any of the ${variables.length} trainable variables`);
            }
            throw e;
          }
          let off = (i - start) * p;
          variables.forEach((v, k) => {
            const g = result.grads[v.name];
            if (g) buf.set(g.dataSync() as Float32Array, off);
            off += sizes[k] as number;
          });
        });
      }
      // Column chunks of J: products over at most CHUNK parameters are summed in float64 below.
      const m = end - start;
      const chunks: tf.Tensor2D[] = [];
      for (let c0 = 0; c0 < p; c0 += CHUNK) {
        const w = Math.min(CHUNK, p - c0);
        const part = new Float32Array(m * w);
        for (let r = 0; r < m; r++) part.set(buf.subarray(r * p + c0, r * p + c0 + w), r * w);
        chunks.push(tf.tensor2d(part, [m, w]));
      }
      return chunks;
    },
    kernel(a, b) {
      const rowsA = (a[0] as tf.Tensor2D).shape[0];
      const rowsB = (b[0] as tf.Tensor2D).shape[0];
      const acc = new Float64Array(rowsA * rowsB);
      a.forEach((ca, c) => {
        const k = tf.tidy(() => tf.matMul(ca, b[c] as tf.Tensor2D, false, true).dataSync());
        for (let i = 0; i < acc.length; i++) acc[i] += k[i] as number;
      });
      return acc;
    },
    dispose(f) {
      for (const t of f) t.dispose();
    },
  };
}
