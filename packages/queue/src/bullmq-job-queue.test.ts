import { randomUUID } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { type JobHandlers, jobCatalog } from '@agent-bot/contracts';
import {
  deleteRedisPrefix,
  type SourceProcess,
  spawnSource,
  TEST_REDIS_URL,
  uniqueRedisPrefix,
  waitFor,
} from '@agent-bot/testing';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { BullMqJobConsumer } from './bullmq-job-consumer.js';
import { BullMqJobQueue } from './bullmq-job-queue.js';
import { createRedis } from './redis-connection.js';
import { describeJobQueueContract, testDefinitions } from './test-support/job-queue.contract.js';
import { otherJobsUnused } from './test-support/job-queue.contract.js';

const prefix = uniqueRedisPrefix('queue');
const connections: Redis[] = [];
function connect(role: 'producer' | 'consumer'): Redis {
  const redis = createRedis(TEST_REDIS_URL, role);
  connections.push(redis);
  return redis;
}
afterAll(async () => {
  for (const redis of connections) redis.disconnect();
  await deleteRedisPrefix(prefix);
});

describeJobQueueContract('BullMQ', async (options) => {
  const queueName = `q-${randomUUID()}`;
  const definitions = testDefinitions(jobCatalog, options);
  const queue = new BullMqJobQueue({ connection: connect('producer'), prefix, queueName, definitions });
  const consumers: BullMqJobConsumer[] = [];
  return {
    queue,
    async startConsumer(handlers: JobHandlers, consumerOptions = {}) {
      const consumer = new BullMqJobConsumer({
        connection: connect('consumer'),
        prefix,
        queueName,
        handlers,
        definitions,
        concurrency: consumerOptions.concurrency,
      });
      consumers.push(consumer);
      await consumer.ready();
      return consumer;
    },
    async close() {
      await Promise.all(consumers.map((consumer) => consumer.close(1000)));
      await queue.close();
    },
  };
});

describe('BullMQ adapter', () => {
  const children: SourceProcess[] = [];
  const closers: Array<() => Promise<unknown>> = [];
  afterEach(async () => {
    for (const child of children.splice(0)) child.kill();
    while (closers.length > 0) await closers.pop()?.();
  });

  it('maps P0..P3 onto BullMQ priorities 1..4 on the stored job', async () => {
    const queueName = `q-${randomUUID()}`;
    const queue = new BullMqJobQueue({ connection: connect('producer'), prefix, queueName });
    closers.push(() => queue.close());
    const taskId = randomUUID();
    await queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P0' });
    const raw = new Queue(queueName, { connection: connect('producer'), prefix });
    closers.push(() => raw.close());
    const job = await raw.getJob(taskId);
    expect(job?.opts.priority).toBe(1);
    expect(job?.opts.attempts).toBe(jobCatalog['task.run'].attempts);
    expect(job?.opts.removeOnComplete).toEqual({ age: 24 * 3600 });
  });

  it('fails a job whose stored payload does not match the catalog, without retrying', async () => {
    const queueName = `q-${randomUUID()}`;
    const raw = new Queue(queueName, { connection: connect('producer'), prefix });
    closers.push(() => raw.close());
    await raw.add('task.run', { taskId: 'forged' }, { attempts: 3 });
    let called = 0;
    const consumer = new BullMqJobConsumer({
      connection: connect('consumer'),
      prefix,
      queueName,
      handlers: {
        ...otherJobsUnused,
        'task.run': async () => {
          called++;
        },
      },
    });
    closers.push(() => consumer.close(1000));
    await waitFor('the forged job to fail', async () => (await raw.getJobCounts('failed')).failed === 1);
    const [failed] = await raw.getFailed();
    expect(failed?.failedReason).toMatch(/invalid payload for task.run/);
    expect(failed?.attemptsMade).toBe(1);
    expect(called).toBe(0);
  });

  it('recovers a job stalled by a SIGKILLed worker: another worker completes it exactly once', async () => {
    const queueName = `q-${randomUUID()}`;
    const queue = new BullMqJobQueue({ connection: connect('producer'), prefix, queueName });
    closers.push(() => queue.close());
    const taskId = randomUUID();
    await queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' });

    const script = fileURLToPath(new URL('./test-support/hanging-consumer.ts', import.meta.url));
    const child = spawnSource(script, { args: [TEST_REDIS_URL, prefix, queueName] });
    children.push(child);
    await child.waitForOutput(new RegExp(`started ${taskId}`));
    expect((await queue.depth()).active).toBe(1);
    child.child.kill('SIGKILL');
    await child.exited;

    const runs: Array<{ taskId: string; attempt: number }> = [];
    const stalled: string[] = [];
    const rescuer = new BullMqJobConsumer({
      connection: connect('consumer'),
      prefix,
      queueName,
      lockDurationMs: 1000,
      stalledIntervalMs: 500,
      onStalled: (jobId) => stalled.push(jobId),
      handlers: {
        ...otherJobsUnused,
        'task.run': async (payload, context) => {
          runs.push({ taskId: payload.taskId, attempt: context.attempt });
        },
      },
    });
    closers.push(() => rescuer.close(1000));
    await waitFor('the stalled job to complete', async () => (await queue.depth()).completed === 1, { timeoutMs: 15_000 });
    expect(runs).toEqual([{ taskId, attempt: 1 }]);
    expect(stalled).toEqual([taskId]);
    expect(await queue.depth()).toMatchObject({ waiting: 0, active: 0, failed: 0, completed: 1 });
  });
});
