import type * as tf from '@tensorflow/tfjs-core';
import { NnphysError, assertDim, assertNonNegativeInteger, assertTensor } from '@nnphys/core';
import type { GraphBatch } from './graph.js';

function shape(t: tf.Tensor): string {
  return `[${t.shape.join(', ')}]`;
}

/**
 * Shape and dtype checks of a GraphBatch at a layer's boundary (cheap: no
 * data is read; the index kernels check id ranges themselves).
 * `nodeFeatures` / `edgeFeatures` are the widths the layer was built for.
 */
export function assertGraphBatch(batch: unknown, name: string, expect: { nodeFeatures?: number; edgeFeatures?: number; needsEdges?: boolean } = {}): asserts batch is GraphBatch {
  if (batch === null || typeof batch !== 'object') throw new NnphysError(`${name} must be a GraphBatch (see batchGraphs), got ${batch === null ? 'null' : typeof batch}`);
  const b = batch as GraphBatch;
  assertTensor(b.nodes, `${name}.nodes`, { rank: 2, dtype: 'float32' });
  assertTensor(b.senders, `${name}.senders`, { rank: 1, dtype: 'int32' });
  assertTensor(b.receivers, `${name}.receivers`, { rank: 1, dtype: 'int32' });
  assertTensor(b.graphIds, `${name}.graphIds`, { rank: 1, dtype: 'int32' });
  assertNonNegativeInteger(b.numGraphs, `${name}.numGraphs`);
  const E = b.senders.shape[0];
  if (b.receivers.shape[0] !== E) throw new NnphysError(`${name}.receivers must have one entry per edge (${E}, like senders), got shape ${shape(b.receivers)}`);
  if (b.graphIds.shape[0] !== b.nodes.shape[0]) {
    throw new NnphysError(`${name}.graphIds must have one entry per node (${b.nodes.shape[0]}), got shape ${shape(b.graphIds)}`);
  }
  if (expect.nodeFeatures !== undefined) assertDim(b.nodes, 1, expect.nodeFeatures, `${name}.nodes`, 'feature width (axis 1)');
  if (b.edges !== undefined) {
    assertTensor(b.edges, `${name}.edges`, { rank: 2, dtype: 'float32' });
    if (b.edges.shape[0] !== E) throw new NnphysError(`${name}.edges must have one row per edge (${E}), got shape ${shape(b.edges)}`);
  }
  if (expect.needsEdges && b.edges === undefined) throw new NnphysError(`${name}.edges is required (edge features [E, ${expect.edgeFeatures ?? 'D'}]), got undefined`);
  if (expect.edgeFeatures !== undefined && b.edges !== undefined) assertDim(b.edges, 1, expect.edgeFeatures, `${name}.edges`, 'feature width (axis 1)');
}
