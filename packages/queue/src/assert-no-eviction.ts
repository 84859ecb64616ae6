import { AppError } from '@agent-bot/contracts';
import type { Redis } from 'ioredis';

/**
 * BullMQ stores jobs as ordinary keys: under any eviction policy Redis may silently drop queued
 * jobs when memory fills. Refuse to run rather than lose work.
 */
export async function assertNoEviction(redis: Redis): Promise<void> {
  const policy = await readEvictionPolicy(redis);
  if (policy !== 'noeviction') {
    throw new AppError(
      'REDIS_EVICTION_POLICY',
      `Redis maxmemory-policy is "${policy}", but agent-bot requires "noeviction" so queued jobs are never evicted. ` +
        'Set "maxmemory-policy noeviction" in redis.conf (or run: redis-cli CONFIG SET maxmemory-policy noeviction).',
    );
  }
}

async function readEvictionPolicy(redis: Redis): Promise<string> {
  try {
    const reply = (await redis.config('GET', 'maxmemory-policy')) as string[];
    if (reply[1]) return reply[1];
  } catch {
    // Managed Redis services often disable CONFIG; INFO still reports the policy.
  }
  const info = await redis.info('memory');
  const match = /maxmemory_policy:(\S+)/.exec(info);
  return match?.[1] ?? 'unknown';
}
