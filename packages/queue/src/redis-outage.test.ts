import { randomUUID } from 'node:crypto';
import { startRedisServer } from '@agent-bot/testing';
import { describe, expect, it } from 'vitest';
import { assertRedisReachable } from './assert-reachable.js';
import { BullMqJobQueue } from './bullmq-job-queue.js';
import { createRedis } from './redis-connection.js';

describe('producer while Redis is down', () => {
  it('fails fast, then works again once Redis is back', async () => {
    const server = await startRedisServer();
    const redis = createRedis(server.url, 'producer');
    await assertRedisReachable(redis, server.url);
    const queue = new BullMqJobQueue({ connection: redis, prefix: 'outage', queueName: 'q' });
    try {
      const first = randomUUID();
      await queue.enqueue('task.run', { taskId: first }, { jobId: first, priority: 'P2' });

      await server.stop();
      const taskId = randomUUID();
      const started = performance.now();
      await expect(queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' })).rejects.toThrow();
      await expect(queue.ping()).rejects.toThrow();
      expect(performance.now() - started).toBeLessThan(1500);

      await server.start();
      await assertRedisReachable(redis, server.url, 10_000);
      await expect(queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' })).resolves.toEqual({
        jobId: taskId,
        deduplicated: false,
      });
    } finally {
      await queue.close().catch(() => {});
      redis.disconnect();
      await server.stop();
    }
  });

  it('says which Redis is unreachable and how to start one', async () => {
    const server = await startRedisServer();
    await server.stop();
    const redis = createRedis(server.url, 'producer');
    try {
      await expect(assertRedisReachable(redis, server.url, 500)).rejects.toMatchObject({
        code: 'DEPENDENCY_UNAVAILABLE',
        message: expect.stringMatching(new RegExp(`Redis is not reachable at 127\\.0\\.0\\.1:${server.port}.*REDIS_URL`)),
      });
      // The start command names the configured port, not Redis's default.
      await expect(assertRedisReachable(redis, server.url, 500)).rejects.toMatchObject({
        message: expect.stringContaining(`redis-server --daemonize yes --port ${server.port})`),
      });
    } finally {
      redis.disconnect();
    }
  });
});
