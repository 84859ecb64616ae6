import type { EventBus, LiveEvent, Unsubscribe } from '@agent-bot/contracts';
import type { Redis } from 'ioredis';

export interface RedisEventBusOptions {
  /** Any connection; used for PUBLISH. */
  publisher: Redis;
  /** A dedicated connection: once subscribed it can only do pub/sub. */
  subscriber: Redis;
  prefix: string;
}

/** Live events over Redis pub/sub so every gateway replica sees every worker's events. */
export class RedisEventBus implements EventBus {
  private readonly handlers = new Map<string, Set<(event: LiveEvent) => void>>();

  constructor(private readonly options: RedisEventBusOptions) {
    options.subscriber.on('message', (channel: string, message: string) => {
      const handlers = this.handlers.get(channel);
      if (!handlers) return;
      let event: LiveEvent;
      try {
        event = JSON.parse(message) as LiveEvent;
      } catch {
        return;
      }
      for (const handler of handlers) handler(event);
    });
  }

  private key(channel: string): string {
    return `${this.options.prefix}:live:${channel}`;
  }

  async publish(channel: string, event: LiveEvent): Promise<void> {
    await this.options.publisher.publish(this.key(channel), JSON.stringify(event));
  }

  async subscribe(channel: string, handler: (event: LiveEvent) => void): Promise<Unsubscribe> {
    const key = this.key(channel);
    let handlers = this.handlers.get(key);
    if (!handlers) {
      handlers = new Set();
      this.handlers.set(key, handlers);
      await this.options.subscriber.subscribe(key);
    }
    handlers.add(handler);
    return async () => {
      const current = this.handlers.get(key);
      if (!current) return;
      current.delete(handler);
      if (current.size === 0) {
        this.handlers.delete(key);
        await this.options.subscriber.unsubscribe(key).catch(() => {});
      }
    };
  }

  async close(): Promise<void> {
    this.handlers.clear();
    this.options.subscriber.disconnect();
  }
}
