import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, checkGradients, initBackend, loadWeights, saveWeights } from '@nnphys/core';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import { type PositionEncoding, Transformer } from '../src/index.js';
import { backends } from './helpers.js';
import { referenceLogits } from './reference_transformer.js';

const V = 11;

function small(causal: boolean, positions: PositionEncoding, extra: Partial<ConstructorParameters<typeof Transformer>[0]> = {}) {
  return new Transformer({ vocabSize: V, maxLength: 12, dim: 16, heads: 2, layers: 2, causal, positions, seed: 7, ...extra });
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs((a[i] as number) - (b[i] as number)));
  return m;
}

/** logits[b] rows [from, to) as a flat array. */
function rows(logits: tf.Tensor3D, b: number, from: number, to: number): Float32Array {
  const [, T, O] = logits.shape;
  return (logits.dataSync() as Float32Array).slice((b * T + from) * O, (b * T + to) * O);
}

describe.each(backends)('Transformer (%s)', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });

  for (const causal of [false, true]) {
    for (const positions of ['rotary', 'learned'] as const) {
      test(`${causal ? 'causal' : 'bidirectional'}, ${positions}: logits equal an independent float64 forward pass`, () => {
        const model = small(causal, positions);
        const tokens = [3, 1, 4, 1, 5, 9, 2, 6];
        const before = tf.memory().numTensors;
        const logits = model.apply([tokens]);
        expect(logits.shape).toEqual([1, 8, V]);
        const ref = referenceLogits(model, tokens).flat();
        const got = logits.dataSync();
        const scale = Math.max(...ref.map(Math.abs));
        // float32 through two blocks (matmuls of width <= 64, softmax, erf approximation ~1.5e-7): ~1e-6 relative; 1e-4 leaves room.
        expect(maxAbsDiff(got, ref)).toBeLessThan(1e-4 * scale);
        logits.dispose();
        expect(tf.memory().numTensors).toBe(before);
        model.dispose();
      });
    }
  }

  for (const positions of ['rotary', 'learned'] as const) {
    test(`causal (${positions}): d logits_i / d input_j = 0 for every j > i, and != 0 for j <= i`, () => {
      const model = small(true, positions);
      const T = 6;
      const h = model.embed([[2, 3, 4, 5, 6, 7]]);
      for (let i = 0; i < T; i++) {
        const g = tf.grad((x: tf.Tensor) => tf.sum(tf.slice(model.applyEmbedded(x as tf.Tensor3D), [0, i, 0], [1, 1, V])))(h);
        const values = g.dataSync();
        const dim = model.dim;
        for (let j = 0; j < T; j++) {
          const norm = Math.hypot(...values.slice(j * dim, (j + 1) * dim));
          if (j > i) expect(norm).toBe(0);
          else expect(norm).toBeGreaterThan(1e-6);
        }
        g.dispose();
      }
      h.dispose();
      model.dispose();
    });
  }

  test('causal: changing later tokens leaves earlier logits unchanged', () => {
    const model = small(true, 'rotary');
    const a = model.apply([[2, 3, 4, 5, 6, 7]]);
    const b = model.apply([[2, 3, 4, 9, 1, 0]]);
    // Hidden keys get weight exp(-1e9) = 0 exactly, so the visible part is computed identically.
    expect(maxAbsDiff(rows(a, 0, 0, 3), rows(b, 0, 0, 3))).toBeLessThan(1e-6);
    expect(maxAbsDiff(rows(a, 0, 3, 4), rows(b, 0, 3, 4))).toBeGreaterThan(1e-4);
    tf.dispose([a, b]);
    model.dispose();
  });

  for (const causal of [false, true]) {
    test(`${causal ? 'causal' : 'bidirectional'}: trailing padding does not change the logits of the real tokens`, () => {
      const pad = 0;
      const model = small(causal, 'rotary', { padToken: pad });
      const alone = model.apply([[5, 6, 7, 8]]);
      const padded = model.apply([
        [5, 6, 7, 8, pad, pad, pad],
        [9, 3, 2, 1, 4, 5, 6],
      ]);
      // Same visible keys; only the length of the (exactly zero) masked part differs: float32 summation order.
      expect(maxAbsDiff(rows(alone, 0, 0, 4), rows(padded, 0, 0, 4))).toBeLessThan(2e-5);
      const other = model.apply([[9, 3, 2, 1, 4, 5, 6]]);
      expect(maxAbsDiff(rows(other, 0, 0, 7), rows(padded, 1, 0, 7))).toBeLessThan(2e-5);
      tf.dispose([alone, padded, other]);
      model.dispose();
    });
  }

  for (const positions of ['rotary', 'learned'] as const) {
    test(`bidirectional (${positions}): hiding keys = removing the tokens (original positions kept) = the float64 reference`, () => {
      const model = small(false, positions);
      const tokens = [3, 7, 4, 9, 5];
      const visible = [true, false, true, false, true];
      const masked = model.apply([tokens], { keyMask: [visible.map(Number)] });
      const removed = model.apply([[3, 4, 5]], { positions: [[0, 2, 4]] });
      const kept = [0, 2, 4];
      const full = masked.dataSync();
      const small3 = removed.dataSync();
      kept.forEach((t, n) => {
        expect(maxAbsDiff(full.slice(t * V, (t + 1) * V), small3.slice(n * V, (n + 1) * V))).toBeLessThan(2e-5);
      });
      const ref = referenceLogits(model, tokens, { visibleKeys: visible });
      const scale = Math.max(...ref.flat().map(Math.abs));
      expect(maxAbsDiff(full, ref.flat())).toBeLessThan(1e-4 * scale);
      // A hidden token's identity does not reach any other position.
      const changed = model.apply([[3, 1, 4, 2, 5]], { keyMask: [visible.map(Number)] });
      const c = changed.dataSync();
      for (const t of kept) expect(maxAbsDiff(full.slice(t * V, (t + 1) * V), c.slice(t * V, (t + 1) * V))).toBeLessThan(1e-6);
      tf.dispose([masked, removed, changed]);
      model.dispose();
    });
  }

  test('gradients of a loss with respect to the block inputs match finite differences', () => {
    const model = small(false, 'rotary', { layers: 1, dim: 8, heads: 2 });
    const h = model.embed([[1, 2, 3, 4]]);
    const scaled = tf.mul(h, 20) as tf.Tensor3D; // embeddings are ~0.02; bring them to O(1) so the FD step is meaningful
    const weights = tf.randomNormal([1, 4, V], 0, 1, 'float32', 3);
    const result = checkGradients((x) => tf.sum(tf.mul(model.applyEmbedded(x as tf.Tensor3D), weights)) as tf.Scalar, [scaled], { seed: 1, epsilon: 1e-2 });
    // Central differences with step 1e-2 in float32: truncation O(eps^2) ~ 1e-4, rounding ~1e-6 / 1e-2; 1e-2 relative is the usual bar.
    expect(result.maxRelativeError).toBeLessThan(1e-2);
    tf.dispose([h, scaled, weights]);
    model.dispose();
  });

  describe('save and load', () => {
    let dir: string;
    beforeAll(() => {
      dir = mkdtempSync(join(tmpdir(), 'dlm-'));
    });
    afterAll(() => rmSync(dir, { recursive: true, force: true }));

    test('weights round-trip through safetensors: a differently seeded model reproduces the logits exactly', async () => {
      const a = small(false, 'learned');
      const b = small(false, 'learned', { seed: 99 });
      const path = join(dir, `model-${backend}.safetensors`);
      await saveWeights(a, path);
      const la = a.apply([[1, 2, 3]]);
      const before = b.apply([[1, 2, 3]]);
      expect(maxAbsDiff(la.dataSync(), before.dataSync())).toBeGreaterThan(1e-3);
      await loadWeights(b, path);
      const lb = b.apply([[1, 2, 3]]);
      expect(Array.from(lb.dataSync())).toEqual(Array.from(la.dataSync()));
      tf.dispose([la, lb, before]);
      // A model of another shape is refused with the names of the mismatching tensors.
      const c = small(false, 'learned', { dim: 8 });
      await expect(loadWeights(c, path)).rejects.toThrow(/tokens\.table/);
      a.dispose();
      b.dispose();
      c.dispose();
    });
  });

  test('bad inputs throw NnphysError naming the argument', () => {
    const model = small(false, 'rotary');
    const bad = (f: () => unknown, pattern: RegExp) => {
      expect(f).toThrow(NnphysError);
      expect(f).toThrow(pattern);
    };
    bad(() => model.apply([[1, 2, 11]]), /tokens\[0\]\[2\] = 11 is outside the vocabulary \[0, 11\)/);
    bad(() => model.apply([[1, -1]]), /outside the vocabulary/);
    bad(() => model.apply([new Array(13).fill(1)]), /length 13, longer than the model's maxLength 12/);
    bad(() => model.apply([[1, 2], [1]]), /equal-length rows/);
    bad(() => model.apply([[1.5, 2]]), /integer token id/);
    const floats = tf.tensor2d([[1, 2]]);
    bad(() => model.apply(floats as tf.Tensor2D), /dtype int32/);
    floats.dispose();
    bad(() => model.apply([[1, 2, 3]], { positions: [[0, 1, 12]] }), /positions\[0\]\[2\] = 12/);
    bad(() => model.apply([[1, 2, 3]], { keyMask: [[1, 0]] }), /keyMask\[0\] must be an array of 3/);
    const empty = tf.tensor3d([[[1, 0], [0, 0]]]);
    bad(() => model.apply([[1, 2]], { attentionMask: empty as tf.Tensor3D }), /query 1 of sequence 0 with no key/);
    empty.dispose();
    bad(() => new Transformer({ vocabSize: 5, maxLength: 4, dim: 10, heads: 3, layers: 1, causal: true }), /divisible by heads/);
    bad(() => new Transformer({ vocabSize: 5, maxLength: 4, dim: 6, heads: 2, layers: 1, causal: true }), /even head size/);
    bad(() => new Transformer({ vocabSize: 5, maxLength: 4, dim: 8, heads: 2, layers: 1, causal: 'yes' as unknown as boolean }), /causal must be/);
    bad(() => new Transformer({ vocabSize: 5, maxLength: 4, dim: 8, heads: 2, layers: 1, causal: true, padToken: 5 }), /padToken must be a token id in \[0, 5\)/);
    model.dispose();
  });
});
