import { NnphysError, assertNonNegativeInteger } from '@nnphys/core';
import type { Graph } from './graph.js';

/**
 * The complete directed graph on the rows of `nodes` (every ordered pair
 * u -> v, u != v, plus u -> u with `selfLoops`). Message passing with mean
 * aggregation on it is the uniform attention of 004 ch. 5 ("all tokens are
 * attended to equally"), and a sum-aggregating layer on it sees the whole
 * set, like Deep Sets (000 §5.3.1).
 */
export function completeGraph(nodes: number[][], options: { selfLoops?: boolean } = {}): Graph {
  if (!Array.isArray(nodes)) throw new NnphysError('completeGraph: nodes must be an array of feature rows');
  const n = nodes.length;
  assertNonNegativeInteger(n, 'completeGraph: number of nodes');
  const selfLoops = options.selfLoops ?? true;
  const senders: number[] = [];
  const receivers: number[] = [];
  for (let v = 0; v < n; v++) {
    for (let u = 0; u < n; u++) {
      if (u === v && !selfLoops) continue;
      senders.push(u);
      receivers.push(v);
    }
  }
  return { nodes, senders, receivers };
}
