import { z } from 'zod';
import { urlWithProtocols } from '../env-types.js';

export const redisEnv = z.object({
  /** Redis for the queue and live events; must run with maxmemory-policy noeviction. */
  REDIS_URL: urlWithProtocols(['redis:', 'rediss:']).default('redis://127.0.0.1:6379'),
  /** Key prefix, so several deployments (or test runs) can share one Redis. */
  REDIS_PREFIX: z
    .string()
    .regex(/^[A-Za-z0-9:_-]+$/, 'letters, digits, ":", "_" and "-" only')
    .default('agentbot'),
});

export function toRedisConfig(env: z.output<typeof redisEnv>) {
  return { url: env.REDIS_URL, prefix: env.REDIS_PREFIX };
}
export type RedisConfig = ReturnType<typeof toRedisConfig>;
