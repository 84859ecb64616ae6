import { startRedisServer, TEST_REDIS_URL } from '@agent-bot/testing';
import { describe, expect, it } from 'vitest';
import { assertNoEviction } from './assert-no-eviction.js';
import { createRedis } from './redis-connection.js';

describe('assertNoEviction', () => {
  it('accepts a Redis running with noeviction', async () => {
    const server = await startRedisServer();
    const redis = createRedis(server.url, 'consumer');
    try {
      await expect(assertNoEviction(redis)).resolves.toBeUndefined();
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });

  it('refuses a Redis with another policy, naming the setting', async () => {
    const server = await startRedisServer({ extraArgs: ['--maxmemory-policy', 'allkeys-lru'] });
    const redis = createRedis(server.url, 'consumer');
    try {
      await expect(assertNoEviction(redis)).rejects.toMatchObject({
        code: 'REDIS_EVICTION_POLICY',
        message: expect.stringMatching(/maxmemory-policy is "allkeys-lru".*noeviction/),
      });
    } finally {
      redis.disconnect();
      await server.stop();
    }
  });

  it('accepts the shared test Redis (the suite relies on it)', async () => {
    const redis = createRedis(TEST_REDIS_URL, 'consumer');
    try {
      await expect(assertNoEviction(redis)).resolves.toBeUndefined();
    } finally {
      redis.disconnect();
    }
  });
});
