// Data-parallel training (train({ workers, task })) runs in worker threads with the built package, so these
// tests run it in a child Node process exactly as a user would, and compare with one replica.
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, test } from 'vitest';

function run(config: Record<string, unknown>) {
  const out = execFileSync('node', [join(__dirname, 'fixtures', 'parallel_run.mjs'), JSON.stringify(config)], { encoding: 'utf8', timeout: 120_000 });
  return JSON.parse(out.trim().split('\n').pop() as string);
}

describe('train({ workers })', () => {
  test('two replicas on half-batches reproduce one replica on full batches', () => {
    const common = { epochs: 5, optimizer: { name: 'sgd', learningRate: 0.05 }, taskOptions: { batch: 64 } };
    const one = run({ ...common, workers: 1 });
    const two = run({ ...common, workers: 2 });
    expect(one.error).toBeUndefined();
    expect(two.error).toBeUndefined();
    expect(two.steps).toBe(one.steps);
    expect(two.steps).toBe(5 * 4);
    // mean of two half-batch means = full-batch mean; only float32 summation order differs
    for (const [i, w] of one.weights.entries()) for (const [j, v] of w.entries()) expect(Math.abs(v - two.weights[i][j])).toBeLessThan(1e-5);
    for (const [e, l] of one.loss.entries()) expect(Math.abs(l - two.loss[e]) / l).toBeLessThan(1e-5);
    // and it learned: loss fell by an order of magnitude
    expect(two.loss[4]).toBeLessThan(two.loss[0] / 10);
  });

  test('replicas stay bitwise identical (Adam, three replicas)', () => {
    const r = run({ epochs: 3, workers: 3, optimizer: { name: 'adam', learningRate: 0.01 }, taskOptions: { batch: 96, rows: 288 } });
    expect(r.error).toBeUndefined();
    expect(r.replicas).toBe(3);
    expect(r.replicasIdentical).toBe(true);
    // the task's dispose() ran in the main thread's replica: nothing is left once the model is disposed
    expect(r.leaked).toBe(0);
  });

  test('a failure in a worker is reported, not a hang', () => {
    const r = run({ epochs: 2, workers: 2, taskOptions: { failReplica: 1 } });
    expect(r.name).toBe('NnphysError');
    expect(r.error).toMatch(/replica 1: deliberate failure in the loss/);
  });

  test('replicas yielding different numbers of batches is a clear error', () => {
    const r = run({ epochs: 1, workers: 2, taskOptions: { unevenReplica: 1 } });
    expect(r.error).toMatch(/ran out of batches before the others/);
  });

  test('workers without a task module are rejected', () => {
    const r = run({ epochs: 1, workers: 2, task: 42 });
    expect(r.error).toMatch(/task must be a module path or URL/);
  });
});
