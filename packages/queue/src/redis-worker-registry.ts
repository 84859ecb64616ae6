import type { WorkerInfo, WorkerRegistry } from '@agent-bot/contracts';
import type { Redis } from 'ioredis';

/** Workers heartbeat into a Redis hash; an entry older than `ttlMs` counts as gone. */
export class RedisWorkerRegistry implements WorkerRegistry {
  constructor(private readonly options: { redis: Redis; prefix: string; ttlMs?: number; now?: () => number }) {}

  private get key(): string {
    return `${this.options.prefix}:workers`;
  }

  async heartbeat(info: WorkerInfo): Promise<void> {
    await this.options.redis.hset(this.key, info.id, JSON.stringify(info));
  }

  async remove(id: string): Promise<void> {
    await this.options.redis.hdel(this.key, id);
  }

  async list(): Promise<WorkerInfo[]> {
    const now = (this.options.now ?? Date.now)();
    const ttl = this.options.ttlMs ?? 30_000;
    const entries = await this.options.redis.hgetall(this.key);
    const alive: WorkerInfo[] = [];
    const expired: string[] = [];
    for (const [id, raw] of Object.entries(entries)) {
      const info = JSON.parse(raw) as WorkerInfo;
      if (now - Date.parse(info.lastSeenAt) > ttl) expired.push(id);
      else alive.push(info);
    }
    if (expired.length > 0) await this.options.redis.hdel(this.key, ...expired);
    return alive.sort((a, b) => a.id.localeCompare(b.id));
  }
}
