import { AppError } from '@agent-bot/contracts';
import type { Redis } from 'ioredis';
import { describeRedisUrl } from './redis-connection.js';
import { redisStartHint } from './redis-start-hint.js';

/** Waits up to `timeoutMs` for the first connection; fails with which Redis and how to start one. */
export async function assertRedisReachable(redis: Redis, url: string, timeoutMs = 3000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let lastError: unknown;
  while (Date.now() < deadline) {
    try {
      if (redis.status === 'ready') {
        await redis.ping();
        return;
      }
    } catch (error) {
      lastError = error;
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  const reason = lastError instanceof Error ? lastError.message : `connection ${redis.status}`;
  throw new AppError(
    'DEPENDENCY_UNAVAILABLE',
    `Redis is not reachable at ${describeRedisUrl(url)} (${reason}). ${redisStartHint(url)}`,
  );
}
