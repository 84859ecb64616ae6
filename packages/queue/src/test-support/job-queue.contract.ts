import { randomUUID } from 'node:crypto';
import {
  type JobConsumer,
  type JobContext,
  type JobHandlers,
  type JobPayload,
  type JobQueue,
  PermanentJobError,
  type Priority,
} from '@agent-bot/contracts';
import { waitFor } from '@agent-bot/testing';
import { afterEach, describe, expect, it } from 'vitest';
import type { JobDefinitions } from '../job-definitions.js';

/** What an adapter under test provides: a producer and consumers over the same queue. */
export interface JobQueueHarness {
  queue: JobQueue;
  /** Starts a consumer taking jobs with `handlers`; resolves once it is taking jobs. */
  startConsumer(handlers: JobHandlers, options?: { concurrency?: number }): Promise<JobConsumer>;
  close(): Promise<void>;
}

/** Fast retry timings so the suite runs in seconds; payload schemas are the catalog's. */
export type HarnessFactory = (options: { backoffDelayMs?: number; attempts?: number }) => Promise<JobQueueHarness>;

export function testDefinitions(
  base: JobDefinitions,
  overrides: { backoffDelayMs?: number; attempts?: number } = {},
): JobDefinitions {
  const run = base['task.run'];
  return {
    ...base,
    'task.run': {
      ...run,
      attempts: overrides.attempts ?? run.attempts,
      backoff: { type: 'exponential', delayMs: overrides.backoffDelayMs ?? 100 },
    },
  };
}

type Call = { taskId: string; context: JobContext; at: number };

/** These tests exercise task.run; a handler for every other catalog job is still required. */
export const otherJobsUnused: Omit<JobHandlers, 'task.run'> = {
  'chat.reply': async () => {
    throw new Error('chat.reply is not used in this test');
  },
};

function recorder(behaviour: (call: Call) => Promise<void> = async () => {}) {
  const calls: Call[] = [];
  const handlers: JobHandlers = {
    ...otherJobsUnused,
    'task.run': async (payload: JobPayload<'task.run'>, context) => {
      const call = { taskId: payload.taskId, context, at: performance.now() };
      calls.push(call);
      await behaviour(call);
    },
  };
  return { calls, handlers };
}

/**
 * The JobQueue/JobConsumer contract, run against every adapter (see bullmq-job-queue.test.ts).
 * Behaviour only: nothing here knows which library sits behind the ports.
 */
export function describeJobQueueContract(name: string, factory: HarnessFactory): void {
  describe(`JobQueue contract: ${name}`, () => {
    const harnesses: JobQueueHarness[] = [];
    async function harness(options: { backoffDelayMs?: number; attempts?: number } = {}) {
      const created = await factory(options);
      harnesses.push(created);
      return created;
    }
    afterEach(async () => {
      while (harnesses.length > 0) await harnesses.pop()?.close();
    });

    it('runs higher priorities first when jobs wait for a consumer', async () => {
      const h = await harness();
      const order: Priority[] = ['P3', 'P1', 'P2', 'P0', 'P3', 'P0'];
      const byTask = new Map<string, Priority>();
      for (const priority of order) {
        const taskId = randomUUID();
        byTask.set(taskId, priority);
        await h.queue.enqueue('task.run', { taskId }, { jobId: taskId, priority });
      }
      const { calls, handlers } = recorder();
      await h.startConsumer(handlers, { concurrency: 1 });
      await waitFor('all jobs to run', () => calls.length === order.length);
      expect(calls.map((call) => byTask.get(call.taskId))).toEqual(['P0', 'P0', 'P1', 'P2', 'P3', 'P3']);
    });

    it('queues a job id once: a second enqueue is reported as deduplicated', async () => {
      const h = await harness();
      const taskId = randomUUID();
      const first = await h.queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' });
      const second = await h.queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P0' });
      expect(first).toEqual({ jobId: taskId, deduplicated: false });
      expect(second).toEqual({ jobId: taskId, deduplicated: true });
      const { calls, handlers } = recorder();
      await h.startConsumer(handlers);
      await waitFor('the job to complete', async () => (await h.queue.depth()).completed === 1);
      // Still a no-op while the finished job is kept.
      expect((await h.queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' })).deduplicated).toBe(true);
      expect(calls).toHaveLength(1);
    });

    it('queues a job id once when the same id arrives many times at once', async () => {
      const h = await harness();
      const taskId = randomUUID();
      const results = await Promise.all(
        Array.from({ length: 10 }, () => h.queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' })),
      );
      expect(results.filter((result) => !result.deduplicated)).toHaveLength(1);
      const depth = await h.queue.depth();
      expect(depth.waiting + depth.prioritized).toBe(1);
    });

    it('queues fresh ids without an existence check, each job run once, and a reused "fresh" id still once', async () => {
      const h = await harness();
      const ids = Array.from({ length: 40 }, () => randomUUID());
      const results = await Promise.all(
        ids.map((taskId, index) =>
          h.queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: index % 2 ? 'P1' : 'P3', fresh: true }),
        ),
      );
      expect(results).toEqual(ids.map((jobId) => ({ jobId, deduplicated: false })));
      // A caller wrong about freshness queues nothing new: the add of an existing id is a no-op.
      await h.queue.enqueue('task.run', { taskId: ids[0] as string }, { jobId: ids[0] as string, priority: 'P0', fresh: true });
      const depth = await h.queue.depth();
      expect(depth.waiting + depth.prioritized).toBe(40);
      const { calls, handlers } = recorder();
      await h.startConsumer(handlers);
      await waitFor('all jobs to run', () => calls.length >= 40);
      await waitFor('the queue to settle', async () => (await h.queue.depth()).completed === 40);
      expect(calls.map((call) => call.taskId).sort()).toEqual([...ids].sort());
    });

    it('rejects a payload that does not match the catalog, queuing nothing', async () => {
      const h = await harness();
      await expect(
        h.queue.enqueue('task.run', { taskId: 'not-a-uuid' } as JobPayload<'task.run'>, { jobId: 'x', priority: 'P2' }),
      ).rejects.toThrow(/taskId/);
      await expect(h.queue.enqueue('task.run', {} as JobPayload<'task.run'>, { jobId: 'y', priority: 'P2' })).rejects.toThrow();
      const depth = await h.queue.depth();
      expect(Object.values(depth).reduce((a, b) => a + b, 0)).toBe(0);
    });

    it('retries a failing job with exponential backoff, then fails it for good', async () => {
      const h = await harness({ backoffDelayMs: 200, attempts: 3 });
      const { calls, handlers } = recorder(async () => {
        throw new Error('transient');
      });
      await h.startConsumer(handlers);
      const taskId = randomUUID();
      await h.queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' });
      await waitFor('the job to fail for good', async () => (await h.queue.depth()).failed === 1);
      expect(calls.map((call) => call.context.attempt)).toEqual([1, 2, 3]);
      expect(calls.every((call) => call.context.maxAttempts === 3)).toBe(true);
      const [first, second, third] = calls.map((call) => call.at) as [number, number, number];
      // Exponential: waits of 200 ms then 400 ms. A retry can come late on a loaded machine but never
      // early, so lower bounds are what holds; a fixed backoff would allow a second gap near 200 ms.
      expect(second - first).toBeGreaterThanOrEqual(190);
      expect(third - second).toBeGreaterThanOrEqual(390);
    });

    it('does not retry a PermanentJobError', async () => {
      const h = await harness({ backoffDelayMs: 50, attempts: 3 });
      const { calls, handlers } = recorder(async () => {
        throw new PermanentJobError('RUNNER_UNAVAILABLE', 'no runner');
      });
      await h.startConsumer(handlers);
      const taskId = randomUUID();
      await h.queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' });
      await waitFor('the job to fail', async () => (await h.queue.depth()).failed === 1);
      expect(calls).toHaveLength(1);
    });

    it('reports depth by state', async () => {
      const h = await harness();
      for (let i = 0; i < 3; i++) {
        const taskId = randomUUID();
        await h.queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2', delayMs: i === 0 ? 60_000 : undefined });
      }
      const depth = await h.queue.depth();
      expect(depth.delayed).toBe(1);
      expect(depth.waiting + depth.prioritized).toBe(2);
      expect(depth.active).toBe(0);
    });

    it('says whether a job is still pending: waiting, delayed or running yes; completed, failed or unknown no', async () => {
      const h = await harness({ attempts: 1 });
      const waiting = randomUUID();
      const delayed = randomUUID();
      await h.queue.enqueue('task.run', { taskId: waiting }, { jobId: waiting, priority: 'P2' });
      await h.queue.enqueue('task.run', { taskId: delayed }, { jobId: delayed, priority: 'P2', delayMs: 60_000 });
      expect(await h.queue.pending(waiting)).toBe(true);
      expect(await h.queue.pending(delayed)).toBe(true);
      expect(await h.queue.pending(randomUUID())).toBe(false);

      const running = randomUUID();
      const failing = randomUUID();
      let release!: () => void;
      const held = new Promise<void>((resolve) => {
        release = resolve;
      });
      const { calls, handlers } = recorder(async (call) => {
        if (call.taskId === running) await held;
        if (call.taskId === failing) throw new PermanentJobError('RUNNER_FAILED', 'no');
      });
      await h.startConsumer(handlers, { concurrency: 4 });
      await h.queue.enqueue('task.run', { taskId: running }, { jobId: running, priority: 'P2' });
      await h.queue.enqueue('task.run', { taskId: failing }, { jobId: failing, priority: 'P2' });
      await waitFor('the held job to run', () => calls.some((call) => call.taskId === running));
      expect(await h.queue.pending(running)).toBe(true);
      await waitFor('the failing job to fail', async () => !(await h.queue.pending(failing)));
      release();
      await waitFor('the held job to complete', async () => !(await h.queue.pending(running)));
      await waitFor('the waiting job to complete', async () => !(await h.queue.pending(waiting)));
      expect(await h.queue.pending(delayed)).toBe(true);
    });

    it('drains on close: a running job finishes before close resolves', async () => {
      const h = await harness();
      let finished = false;
      const { calls, handlers } = recorder(async () => {
        await new Promise((resolve) => setTimeout(resolve, 300));
        finished = true;
      });
      const consumer = await h.startConsumer(handlers);
      const taskId = randomUUID();
      await h.queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' });
      await waitFor('the job to start', () => calls.length === 1);
      expect(consumer.activeCount()).toBe(1);
      expect(await consumer.close(5000)).toEqual({ drained: true });
      expect(finished).toBe(true);
      expect(consumer.activeCount()).toBe(0);
      await waitFor('the job to be recorded complete', async () => (await h.queue.depth()).completed === 1);
    });

    it('past the drain deadline, aborts the running job and stops', async () => {
      const h = await harness();
      let aborted = false;
      const { calls, handlers } = recorder(
        (call) =>
          new Promise<void>((_, reject) => {
            call.context.signal.addEventListener('abort', () => {
              aborted = true;
              reject(call.context.signal.reason);
            });
          }),
      );
      const consumer = await h.startConsumer(handlers);
      const taskId = randomUUID();
      await h.queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' });
      await waitFor('the job to start', () => calls.length === 1);
      const started = performance.now();
      expect(await consumer.close(200)).toEqual({ drained: false });
      expect(performance.now() - started).toBeLessThan(3000);
      expect(aborted).toBe(true);
      expect((await h.queue.depth()).completed).toBe(0);

      // The abandoned job is not lost: the next consumer completes it.
      const rescue = recorder();
      await h.startConsumer(rescue.handlers);
      await waitFor('another consumer to complete the job', async () => (await h.queue.depth()).completed === 1);
      // Handed back, not failed: the abandoned try does not count as an attempt.
      expect(rescue.calls.map((call) => [call.taskId, call.context.attempt])).toEqual([[taskId, 1]]);
    });
  });
}
