import * as tf from '@tensorflow/tfjs-core';
import { initBackend } from '@nnphys/core';
import { beforeAll, expect, test } from 'vitest';
import { markdownTable, runRetrieval } from '../retrieval.mjs';

beforeAll(() => initBackend('wasm'));

// Reduced size (16 pairs, 8 test queries per direction): checks the example runs end to end without leaks and
// that the AR pattern of Table 7.1 shows (forward answered, backward not). The MLM-U claims are tested at 40 pairs
// in packages/diffusion-lm/test/retrieval.test.ts.
test('the example runs at reduced size and AR fails backward queries only', async () => {
  const before = tf.memory().numTensors;
  const result = await runRetrieval({ scale: 'tiny', objectives: ['ar', 'mlm-u'] });
  expect(tf.memory().numTensors).toBe(before);
  const [ar, u] = result.rows;
  expect(ar.forward).toBeGreaterThanOrEqual(0.75);
  expect(ar.backward).toBeLessThanOrEqual(0.125);
  expect(u.backward).toBeGreaterThan(ar.backward);
  const table = markdownTable(result.rows);
  expect(table).toContain('| AR |');
  expect(table).toContain('| MLM-U |');
});
