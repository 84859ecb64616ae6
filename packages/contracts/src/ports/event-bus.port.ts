import type { LiveEvent } from '../live-event.js';

export type Unsubscribe = () => Promise<void>;

/** Fan-out of live events across processes (any gateway replica can serve any viewer). */
export interface EventBus {
  publish(channel: string, event: LiveEvent): Promise<void>;
  subscribe(channel: string, handler: (event: LiveEvent) => void): Promise<Unsubscribe>;
  close(): Promise<void>;
}
