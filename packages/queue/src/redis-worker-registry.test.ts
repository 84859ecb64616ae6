import type { WorkerInfo } from '@agent-bot/contracts';
import { deleteRedisPrefix, TEST_REDIS_URL, uniqueRedisPrefix } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { assertRedisReachable } from './assert-reachable.js';
import { createRedis } from './redis-connection.js';
import { RedisWorkerRegistry } from './redis-worker-registry.js';

const prefix = uniqueRedisPrefix('workers');
const redis = createRedis(TEST_REDIS_URL, 'producer');
beforeAll(() => assertRedisReachable(redis, TEST_REDIS_URL));
afterAll(async () => {
  redis.disconnect();
  await deleteRedisPrefix(prefix);
});

function info(id: string, lastSeenAt: number): WorkerInfo {
  return {
    id,
    hostname: 'h',
    pid: 1,
    concurrency: 2,
    active: 0,
    startedAt: new Date(0).toISOString(),
    lastSeenAt: new Date(lastSeenAt).toISOString(),
  };
}

describe('RedisWorkerRegistry', () => {
  it('lists workers that sent a heartbeat within the ttl and drops the others', async () => {
    let now = 1_000_000;
    const registry = new RedisWorkerRegistry({ redis, prefix, ttlMs: 30_000, now: () => now });
    await registry.heartbeat(info('b', now));
    await registry.heartbeat(info('a', now - 10_000));
    await registry.heartbeat(info('old', now - 31_000));
    expect((await registry.list()).map((w) => w.id)).toEqual(['a', 'b']);
    // The expired entry was removed, not only hidden.
    expect(await redis.hexists(`${prefix}:workers`, 'old')).toBe(0);

    now += 25_000;
    expect((await registry.list()).map((w) => w.id)).toEqual(['b']);
    await registry.heartbeat(info('a', now));
    expect((await registry.list()).map((w) => w.id)).toEqual(['a', 'b']);
    await registry.remove('a');
    expect((await registry.list()).map((w) => w.id)).toEqual(['b']);
  });
});
