import { initBackend } from '@nnphys/core';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, test } from 'vitest';
import { ethanol, qm9Sample, smilesToGraph } from '../src/index.js';

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

describe.each(['cpu', 'wasm'])('QM9 functions create no tensors (%s)', (backend) => {
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
