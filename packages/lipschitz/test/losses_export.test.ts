import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { NnphysError, Random, initBackend } from '@nnphys/core';
import { beforeAll, describe, expect, test } from 'vitest';
import { LipschitzNetwork, MonotonicNetwork, bceWithTemperature, dynamicHingeLoss, dynamicMargins, exportNetwork, hingeLoss, lipschitzUpperBound, loadExported, saveExported } from '../src/index.js';
import { backends } from './helpers.js';

describe.each(backends)('losses on %s', (backend) => {
  beforeAll(() => initBackend(backend));

  test('hinge (eq. 2.16), BCE with temperature (eq. 2.13) and dynamic hinge (eq. 2.15) equal their formulas', () => {
    const logits = [2.5, -0.3, 0.05, -4, 0.7];
    const labels = [1, 0, 1, 0, 0];
    const s = labels.map((y) => 2 * y - 1);
    const lt = tf.tensor2d(logits, [5, 1]);
    const yt = tf.tensor1d(labels);
    const before = tf.memory().numTensors;
    for (const m of [1, 0.1]) {
      const ref = logits.reduce((a, z, i) => a + Math.max(0, m - (s[i] as number) * z), 0) / 5;
      const v = hingeLoss({ margin: m })(yt, lt);
      expect(v.dataSync()[0]).toBeCloseTo(ref, 6);
      v.dispose();
    }
    for (const tau of [1, 16]) {
      const ref = logits.reduce((a, z, i) => {
        // -log sigmoid(tau z) for y = 1, -log(1 - sigmoid(tau z)) for y = 0, as log1p(exp(.)) (no 0 * inf)
        const t = (labels[i] as number) === 1 ? -tau * z : tau * z;
        return a + (t > 0 ? t + Math.log1p(Math.exp(-t)) : Math.log1p(Math.exp(t)));
      }, 0) / 5;
      const v = bceWithTemperature({ temperature: tau })(yt, lt);
      expect(v.dataSync()[0]).toBeCloseTo(ref, 4);
      v.dispose();
    }
    const margins = tf.tensor1d([0.1, 0.2, 0.3, 0.4, 0.5]);
    const beforeMargins = tf.memory().numTensors;
    const ref = logits.reduce((a, z, i) => a + Math.max(0, 0.1 * (i + 1) - (s[i] as number) * z), 0) / 5;
    const dh = dynamicHingeLoss()(yt, lt, margins);
    expect(dh.dataSync()[0]).toBeCloseTo(ref, 6);
    dh.dispose();
    expect(tf.memory().numTensors).toBe(beforeMargins);
    margins.dispose();
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([lt, yt]);
  });

  test('dynamic margins equal brute-force half distances to the other class, scaled by lambda', () => {
    const rng = new Random(41);
    const pts = Array.from({ length: 30 }, () => [rng.normal(), rng.normal()]);
    const lab = pts.map((p) => ((p[0] as number) > 0 ? 1 : 0));
    const mg = dynamicMargins(pts, lab, { p: 1, lipschitz: 2 });
    pts.forEach((x, i) => {
      const d = Math.min(...pts.filter((_, j) => lab[j] !== lab[i]).map((y) => Math.abs((x[0] as number) - (y[0] as number)) + Math.abs((x[1] as number) - (y[1] as number))));
      expect(mg[i]).toBeCloseTo(d, 12); // lambda d / 2 with lambda = 2
    });
    expect(() => dynamicMargins(pts, lab.slice(1))).toThrow(/one entry per point \(30\)/);
    expect(() => dynamicMargins(pts, pts.map(() => 1))).toThrow(/exactly two values/);
  });

  test('loss errors', () => {
    expect(() => hingeLoss({ margin: 0 })).toThrow(/margin/);
    expect(() => bceWithTemperature({ temperature: -1 })).toThrow(/temperature/);
    const a = tf.zeros([3]);
    const b = tf.zeros([2]);
    expect(() => hingeLoss()(a, b)).toThrow(NnphysError);
    tf.dispose([a, b]);
  });
});

describe.each(backends)('export on %s', (backend) => {
  beforeAll(() => initBackend(backend));

  test('exported plain network is bit-identical to the model; safetensors round trip is bit-identical; certificate preserved', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'lipschitz-'));
    try {
      const models = [
        new LipschitzNetwork({ inputs: 3, hidden: [6, 6], outputs: 2, lipschitz: 2, norm: 2, groupSize: 3, seed: 1 }),
        new MonotonicNetwork({ inputs: 3, hidden: [8], lipschitz: 1.5, monotone: [1, -1, 0], outputActivation: 'sigmoid', seed: 2 }),
      ];
      const x = tf.tensor2d(Float32Array.from({ length: 30 }, (_, i) => Math.sin(i)), [10, 3]);
      for (const [k, model] of models.entries()) {
        tf.tidy(() => {
          for (const layer of (model instanceof MonotonicNetwork ? model.g : model).layers) layer.weight.assign(tf.mul(layer.weight, 5));
        });
        const ref = model.apply(x);
        const exported = exportNetwork(model);
        const y = exported.apply(x);
        expect(Array.from(y.dataSync())).toEqual(Array.from(ref.dataSync()));
        expect(lipschitzUpperBound(exported)).toBe(lipschitzUpperBound(model));
        const path = join(dir, `m${k}.safetensors`);
        await saveExported(exported, path);
        const loaded = await loadExported(path);
        const z = loaded.apply(x);
        expect(Array.from(z.dataSync())).toEqual(Array.from(ref.dataSync()));
        tf.dispose([ref, y, z]);
        exported.dispose();
        loaded.dispose();
        model.dispose();
      }
      x.dispose();
      await expect(loadExported(join(dir, 'missing.safetensors'))).rejects.toThrow(/could not read/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
