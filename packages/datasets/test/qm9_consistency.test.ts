import { initBackend } from '@nnphys/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { ethanol, qm9Sample, smilesToGraph, useRDKit } from '../src/index.js';

describe('smilesToGraph agrees with the hand-made ethanol fixture of 002 ch. 1', () => {
  test('explicit-H CCO is graph A relabelled: same node features, same bonds', async () => {
    const a = ethanol().A;
    const m = await smilesToGraph('CCO', { hydrogens: 'explicit' });
    // A's order C1, C2, H1-H3 (on C1), H4-H5 (on C2), O, H6 (on O) -> RDKit's C, C, O, then H in AddHs order
    const toRdkit = [0, 1, 3, 4, 5, 6, 7, 2, 8];
    a.graph.nodes.forEach((x, i) => {
      expect(m.nodes[toRdkit[i]!]).toEqual(x);
    });
    const edgesOf = (s: number[], r: number[]) => s.map((v, e) => `${v}-${r[e]}`).sort();
    expect(edgesOf(m.senders, m.receivers)).toEqual(
      edgesOf(
        a.graph.senders.map((v) => toRdkit[v]!),
        a.graph.receivers.map((v) => toRdkit[v]!),
      ),
    );
  });
});

describe.each(['cpu', 'wasm'] as const)('QM9 functions create no tensors (%s)', (backend) => {
  beforeAll(async () => {
    await initBackend(backend);
  });
  test('qm9Sample and smilesToGraph leave tf.memory().numTensors unchanged', async () => {
    const before = tf.memory().numTensors;
    qm9Sample({ hydrogens: 'explicit', layout: 'pyg' });
    await smilesToGraph('c1ccoc1');
    expect(tf.memory().numTensors).toBe(before);
  });
});

describe('useRDKit', () => {
  test('a user-initialised RDKit-JS module is used; a wrong object is reported by the next call', async () => {
    const { default: init } = (await import('@rdkit/rdkit')) as unknown as { default: () => Promise<never> };
    const own = await init();
    let calls = 0;
    const spy = new Proxy(own as { get_mol: (...a: unknown[]) => unknown }, {
      get(target, key, receiver) {
        if (key === 'get_mol') {
          return (...a: unknown[]) => {
            calls++;
            return target.get_mol(...a);
          };
        }
        return Reflect.get(target, key, receiver);
      },
    });
    useRDKit(spy as never);
    expect((await smilesToGraph('CCO')).nodes.length).toBe(3);
    expect(calls).toBe(1);
    useRDKit({} as never);
    await expect(smilesToGraph('CCO')).rejects.toThrow(/useRDKit: module must be an initialised RDKit-JS module/);
    useRDKit(own);
    expect((await smilesToGraph('C')).nodes.length).toBe(1);
  });
});
