import type { LiveEvent, WsServerMessage } from '@agent-bot/contracts';

const cache = new WeakMap<LiveEvent, Map<string, string>>();

/**
 * The frame for a live event. The bus hands the same event object to every subscribed socket, so
 * it is serialised once per subscription key instead of once per socket (the fan-out hot path).
 */
export function encodeEvent(key: string, event: LiveEvent, replayed = false): string {
  if (replayed) return JSON.stringify({ type: 'event', key, event, replayed } satisfies WsServerMessage);
  let byKey = cache.get(event);
  if (!byKey) {
    byKey = new Map();
    cache.set(event, byKey);
  }
  let frame = byKey.get(key);
  if (frame === undefined) {
    frame = JSON.stringify({ type: 'event', key, event } satisfies WsServerMessage);
    byKey.set(key, frame);
  }
  return frame;
}
