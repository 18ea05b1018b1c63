import { execFileSync } from 'node:child_process';
import { mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { decodeSafetensors, encodeSafetensors, initBackend, Linear, loadWeights, MLP, type Module, NnphysError, saveWeights, weightsToBytes } from '../src/index.js';

function python(): string | null {
  for (const p of ['/usr/bin/python3', 'python3']) {
    try {
      execFileSync(p, ['-c', 'import json, struct, array'], { stdio: 'ignore' });
      return p;
    } catch {
      /* next */
    }
  }
  return null;
}

function values(m: Module): number[][] {
  return [...m.variables().values()].map((v) => Array.from(v.dataSync()));
}

describe('safetensors weights', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  test('save -> load round-trips every variable bit for bit', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnphys-'));
    const a = new MLP({ inputs: 3, hidden: [5], outputs: 2, seed: 1 });
    const b = new MLP({ inputs: 3, hidden: [5], outputs: 2, seed: 2 });
    expect(values(a)).not.toEqual(values(b));
    await saveWeights(a, join(dir, 'w.safetensors'), { note: 'test' });
    const meta = await loadWeights(b, join(dir, 'w.safetensors'));
    expect(values(b)).toEqual(values(a));
    expect(meta).toEqual({ format: 'nnphys', note: 'test' });
    // no temporary file left behind
    expect(readdirSync(dir)).toEqual(['w.safetensors']);
  });

  test('the file follows the format: header length, 8-byte aligned JSON, contiguous offsets', () => {
    const m = new Linear({ inputs: 2, outputs: 3, seed: 3 });
    const bytes = weightsToBytes(m);
    const n = Number(new DataView(bytes.buffer).getBigUint64(0, true));
    expect((8 + n) % 8).toBe(0);
    const header = JSON.parse(new TextDecoder().decode(bytes.subarray(8, 8 + n)));
    expect(header.weight).toEqual({ dtype: 'F32', shape: [2, 3], data_offsets: [12, 36] });
    expect(header.bias).toEqual({ dtype: 'F32', shape: [3], data_offsets: [0, 12] });
    expect(bytes.byteLength).toBe(8 + n + 36);
  });

  test('an independent Python reader reads our file', async () => {
    const py = python();
    expect(py, 'python3 is part of every machine of this kind (node.md); the reader uses only its standard library').not.toBeNull();
    const dir = mkdtempSync(join(tmpdir(), 'nnphys-'));
    const m = new MLP({ inputs: 4, hidden: [3], outputs: 1, seed: 4 });
    const path = join(dir, 'm.safetensors');
    await saveWeights(m, path);
    const out = JSON.parse(execFileSync(py as string, [join(__dirname, 'fixtures', 'read_safetensors.py'), path], { encoding: 'utf8' }));
    for (const [name, v] of m.variables()) {
      expect(out[name].shape).toEqual(v.shape);
      expect(out[name].values).toEqual(Array.from(v.dataSync()));
    }
    expect(out.__metadata__).toEqual({ format: 'nnphys' });
  });

  test('mismatches are reported by name, all at once, and change nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnphys-'));
    const path = join(dir, 'w.safetensors');
    await saveWeights(new MLP({ inputs: 3, hidden: [5], outputs: 2, seed: 1 }), path);
    const wider = new MLP({ inputs: 3, hidden: [6], outputs: 2, seed: 9 });
    const before = values(wider);
    await expect(loadWeights(wider, path)).rejects.toThrow(/layers\.0\.weight: shape \[3,5\] in file, model expects \[3,6\].*layers\.1\.weight/);
    expect(values(wider)).toEqual(before);
    const deeper = new MLP({ inputs: 3, hidden: [5, 5], outputs: 2, seed: 9 });
    await expect(loadWeights(deeper, path)).rejects.toThrow(/missing: layers\.2\.weight, layers\.2\.bias/);
    const shallower = new Linear({ inputs: 3, outputs: 5 });
    await expect(loadWeights(shallower, path)).rejects.toThrow(/missing: weight, bias; unexpected: layers\.0\.bias, layers\.0\.weight/);
    await expect(loadWeights(shallower, path, { allowMissing: true, allowExtra: true })).resolves.toBeDefined();
  });

  test('corrupt, truncated and non-finite files are rejected without changing the model', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnphys-'));
    const m = new Linear({ inputs: 2, outputs: 2, seed: 5 });
    const good = weightsToBytes(m);
    const target = new Linear({ inputs: 2, outputs: 2, seed: 6 });
    const before = values(target);
    writeFileSync(join(dir, 'trunc.safetensors'), good.subarray(0, good.length - 3));
    await expect(loadWeights(target, join(dir, 'trunc.safetensors'))).rejects.toThrow(/truncated or padded/);
    writeFileSync(join(dir, 'junk.safetensors'), new Uint8Array([1, 2, 3]));
    await expect(loadWeights(target, join(dir, 'junk.safetensors'))).rejects.toThrow(/not a valid safetensors file/);
    const withNaN = new Linear({ inputs: 2, outputs: 2, seed: 5 });
    withNaN.weight.assign(tf.tensor2d([[1, Number.NaN], [0, 0]]));
    writeFileSync(join(dir, 'nan.safetensors'), weightsToBytes(withNaN));
    await expect(loadWeights(target, join(dir, 'nan.safetensors'))).rejects.toThrow(/non-finite value at flat index 1/);
    await expect(loadWeights(target, join(dir, 'missing.safetensors'))).rejects.toThrow(/could not read/);
    expect(values(target)).toEqual(before);
  });

  test('a failed save leaves no file behind', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'nnphys-'));
    await expect(saveWeights(new Linear({ inputs: 1, outputs: 1 }), join(dir, 'no-such-dir', 'w.safetensors'))).rejects.toThrow(NnphysError);
    expect(readdirSync(dir)).toEqual([]);
  });

  test('decodeSafetensors enforces the reference reader rules', () => {
    const enc = encodeSafetensors(new Map([['a', { dtype: 'F32', shape: [2], data: new Uint8Array(8) }]]));
    expect(decodeSafetensors(enc).tensors.get('a')?.shape).toEqual([2]);
    // overlapping offsets
    const header = new TextEncoder().encode(JSON.stringify({ a: { dtype: 'F32', shape: [1], data_offsets: [0, 4] }, b: { dtype: 'F32', shape: [1], data_offsets: [0, 4] } }));
    const bad = new Uint8Array(8 + header.length + 8);
    new DataView(bad.buffer).setBigUint64(0, BigInt(header.length), true);
    bad.set(header, 8);
    expect(() => decodeSafetensors(bad)).toThrow(/contiguous/);
    expect(() => encodeSafetensors(new Map([['a', { dtype: 'F32', shape: [3], data: new Uint8Array(8) }]]))).toThrow(/needs 12/);
  });
});
