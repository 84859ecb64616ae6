import { Redis, type RedisOptions } from 'ioredis';

export type RedisClient = Redis;

/**
 * - producer: fails fast while Redis is down (no offline queue, one retry) so a webhook handler can
 *   fall back to the durable inbox instead of hanging.
 * - consumer: BullMQ workers need maxRetriesPerRequest null so blocking commands survive reconnects.
 * - subscriber: pub/sub connections keep their subscriptions across reconnects.
 */
export type RedisRole = 'producer' | 'consumer' | 'subscriber';

export function createRedis(url: string, role: RedisRole, extra: RedisOptions = {}): Redis {
  const common: RedisOptions = {
    connectTimeout: 2000,
    // Reconnect forever with a capped delay: Redis coming back must heal every process by itself.
    retryStrategy: (times) => Math.min(times * 200, 2000),
    lazyConnect: false,
  };
  const byRole: Record<RedisRole, RedisOptions> = {
    producer: { enableOfflineQueue: false, maxRetriesPerRequest: 1 },
    consumer: { maxRetriesPerRequest: null, enableReadyCheck: true },
    subscriber: { maxRetriesPerRequest: null },
  };
  const client = new Redis(url, { ...common, ...byRole[role], ...extra });
  // ioredis emits 'error' on every failed reconnect; without a listener Node would crash the process.
  client.on('error', () => {});
  return client;
}

/** host:port of a Redis URL without credentials, for messages. */
export function describeRedisUrl(url: string): string {
  try {
    const parsed = new URL(url);
    return `${parsed.hostname}:${parsed.port || 6379}`;
  } catch {
    return '(unparseable REDIS_URL)';
  }
}
