import type { Random } from '@nnphys/core';
import { checkInteger, checkOptions, fail } from '../internal/checks.js';
import { randomFrom } from '../internal/random.js';
import { type TokenSequence, type TokenTask, buildSequence, vocabularyOf } from './token_sequence.js';

export interface StarGraphTaskOptions {
  /** Number of arms leaving the start node. Default 2 (Fig. 7.5). */
  degree?: number;
  /** Nodes on each arm, start node included (the 004 example "4,2,6,7" has 4). Default 5. */
  pathLength?: number;
  /** Node labels are drawn without replacement from 0..nodes-1. Default 50. */
  nodes?: number;
  /** Number of training graphs. Default 1000. */
  trainSamples?: number;
  /** Number of test graphs (distinct from the training graphs). Default 200. */
  testSamples?: number;
  seed?: number | Random;
}

export interface StarGraph {
  start: number;
  end: number;
  /** Each arm as its node list from the start; arm 0 leads to `end`. */
  arms: number[][];
  /** The directed edges in the (shuffled) order they are written. */
  edges: [number, number][];
}

export interface StarGraphSequence extends TokenSequence {
  graph: StarGraph;
  /** The compact form of 004, e.g. "2,6|6,7|5,1|4,3|4,2|3,5 / 4,7 = 4,2,6,7". */
  compact: string;
}

export interface StarGraphTask extends TokenTask<StarGraphSequence> {}

/**
 * The star-graph path-finding task of 004 §7.4 (after its ref. [248]): `degree` arms of `pathLength`
 * nodes leave a start node; the prompt lists the shuffled directed edges, then the start and end
 * nodes, and the answer is the path from start to end: "edges / start,end = path". Node labels are
 * drawn without replacement. Every label, ',', '|', '/' and '=' is one token.
 */
export function starGraphTask(opts?: StarGraphTaskOptions): StarGraphTask {
  const o = checkOptions<StarGraphTaskOptions>(opts, 'starGraphTask: options', true);
  const degree = checkInteger(o.degree ?? 2, 'starGraphTask: degree', 1);
  const pathLength = checkInteger(o.pathLength ?? 5, 'starGraphTask: pathLength', 2);
  const needed = 1 + degree * (pathLength - 1);
  const nodes = checkInteger(o.nodes ?? 50, 'starGraphTask: nodes', needed);
  const nTrain = checkInteger(o.trainSamples ?? 1000, 'starGraphTask: trainSamples', 0);
  const nTest = checkInteger(o.testSamples ?? 200, 'starGraphTask: testSamples', 0);
  const rng = randomFrom(o.seed, 'starGraphTask: seed');
  const seen = new Set<string>();
  const make = (count: number): StarGraphSequence[] => {
    const out: StarGraphSequence[] = [];
    let attempts = 0;
    while (out.length < count) {
      if (++attempts > 100 * count + 1000) fail(`starGraphTask: could not draw ${nTrain + nTest} distinct graphs; use more nodes`);
      const s = drawGraph(rng, degree, pathLength, nodes, out.length);
      if (seen.has(s.compact)) continue;
      seen.add(s.compact);
      out.push(s);
    }
    return out;
  };
  const train = make(nTrain);
  const test = make(nTest);
  const vocabulary = vocabularyOf([...train, ...test], [...Array.from({ length: nodes }, (_, i) => String(i)), ',', '|', '/', '=']);
  return { train, test, vocabulary };
}

function drawGraph(rng: Random, degree: number, pathLength: number, nodes: number, item: number): StarGraphSequence {
  const labels = rng.permutation(nodes).slice(0, 1 + degree * (pathLength - 1));
  const start = labels[0] as number;
  const arms: number[][] = [];
  for (let a = 0; a < degree; a++) arms.push([start, ...labels.slice(1 + a * (pathLength - 1), 1 + (a + 1) * (pathLength - 1))]);
  const end = arms[0]![pathLength - 1] as number;
  const edges: [number, number][] = [];
  for (const arm of arms) for (let i = 0; i + 1 < arm.length; i++) edges.push([arm[i] as number, arm[i + 1] as number]);
  rng.shuffle(edges);
  const parts: string[] = [];
  edges.forEach(([u, v], i) => {
    if (i > 0) parts.push('|');
    parts.push(String(u), ',', String(v));
  });
  parts.push('/', String(start), ',', String(end), '=');
  const promptParts = parts.length;
  (arms[0] as number[]).forEach((v, i) => {
    if (i > 0) parts.push(',');
    parts.push(String(v));
  });
  const seq = buildSequence(parts, 'path', item, promptParts);
  const compact = `${edges.map(([u, v]) => `${u},${v}`).join('|')} / ${start},${end} = ${(arms[0] as number[]).join(',')}`;
  return { ...seq, graph: { start, end, arms, edges }, compact };
}
