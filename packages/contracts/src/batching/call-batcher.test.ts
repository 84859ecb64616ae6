import { describe, expect, it } from 'vitest';
import { CallBatcher } from './call-batcher.js';

/** A batch handler that records the batches it got and answers after `delayMs`. */
function recorder(delayMs = 5) {
  const batches: number[][] = [];
  let concurrent = 0;
  let maxConcurrent = 0;
  const run = async (inputs: number[]) => {
    batches.push(inputs);
    concurrent += 1;
    maxConcurrent = Math.max(maxConcurrent, concurrent);
    await new Promise((resolve) => setTimeout(resolve, delayMs));
    concurrent -= 1;
    return inputs.map((input) => input * 10);
  };
  return { run, batches, maxConcurrent: () => maxConcurrent };
}

describe('CallBatcher', () => {
  it('answers a lone call by itself', async () => {
    const r = recorder();
    const batcher = new CallBatcher({ run: r.run, maxBatch: 10 });
    await expect(batcher.call(7)).resolves.toBe(70);
    expect(r.batches).toEqual([[7]]);
  });

  it('puts calls made in one turn and during a running batch into few batches, each caller getting its own result', async () => {
    const r = recorder();
    const batcher = new CallBatcher({ run: r.run, maxBatch: 100 });
    const first = Array.from({ length: 20 }, (_, i) => batcher.call(i));
    await new Promise((resolve) => setTimeout(resolve, 1));
    // The first batch is on the wire now: these wait and go together in the next one.
    const second = Array.from({ length: 30 }, (_, i) => batcher.call(100 + i));
    const results = await Promise.all([...first, ...second]);
    expect(results).toEqual([
      ...Array.from({ length: 20 }, (_, i) => i * 10),
      ...Array.from({ length: 30 }, (_, i) => (100 + i) * 10),
    ]);
    expect(r.batches.map((batch) => batch.length)).toEqual([20, 30]);
  });

  it('splits at maxBatch and at maxWeight, and never runs more batches at once than its concurrency', async () => {
    const r = recorder();
    const batcher = new CallBatcher({ run: r.run, maxBatch: 4, weigh: (n) => n, maxWeight: 10, concurrency: 2 });
    const results = await Promise.all([1, 1, 1, 1, 1, 20, 5, 5, 1].map((n) => batcher.call(n)));
    expect(results).toEqual([10, 10, 10, 10, 10, 200, 50, 50, 10]);
    for (const batch of r.batches) {
      expect(batch.length).toBeLessThanOrEqual(4);
      // Weight is checked before adding: a batch is over the limit by at most its last call.
      expect(batch.slice(0, -1).reduce((sum, n) => sum + n, 0)).toBeLessThan(10);
    }
    expect(r.batches.flat()).toEqual([1, 1, 1, 1, 1, 20, 5, 5, 1]);
    expect(r.maxConcurrent()).toBe(2);
  });

  it('with spread, splits a burst evenly over the free slots so the batches run side by side', async () => {
    const spread = recorder();
    const spreading = new CallBatcher({ run: spread.run, maxBatch: 100, concurrency: 3, spread: true });
    const filling = recorder();
    const batcher = new CallBatcher({ run: filling.run, maxBatch: 100, concurrency: 3 });
    const burst = Array.from({ length: 30 }, (_, i) => i);
    expect(await Promise.all(burst.map((n) => spreading.call(n)))).toEqual(burst.map((n) => n * 10));
    await Promise.all(burst.map((n) => batcher.call(n)));
    expect(spread.batches.map((batch) => batch.length)).toEqual([10, 10, 10]);
    expect(spread.batches.flat()).toEqual(burst);
    expect(spread.maxConcurrent()).toBe(3);
    // Without spread the first batch takes everything and the other slots stay idle.
    expect(filling.batches.map((batch) => batch.length)).toEqual([30]);
  });

  it('rejects every caller of a failed batch and keeps serving later calls', async () => {
    let fail = true;
    const batcher = new CallBatcher<number, number>({
      maxBatch: 10,
      run: async (inputs) => {
        if (fail) throw new Error('database went away');
        return inputs;
      },
    });
    const failed = await Promise.allSettled([batcher.call(1), batcher.call(2)]);
    expect(failed.map((result) => result.status)).toEqual(['rejected', 'rejected']);
    fail = false;
    await expect(batcher.call(3)).resolves.toBe(3);
  });

  it('rejects the batch when the handler answers with the wrong number of results', async () => {
    const batcher = new CallBatcher<number, number>({ maxBatch: 10, run: async () => [1] });
    const results = await Promise.allSettled([batcher.call(1), batcher.call(2)]);
    expect(results[0]).toMatchObject({ status: 'rejected', reason: { message: 'batch of 2 produced 1 results' } });
  });
});
