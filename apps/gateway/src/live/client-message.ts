import type { WsClientMessage } from '@agent-bot/contracts';
import { z } from 'zod';

const cursor = z.string().regex(/^\d+$/).max(20).optional();
const subscription = z.discriminatedUnion('channel', [
  z.object({ channel: z.literal('task'), id: z.string().min(1).max(100), after: cursor }),
  z.object({ channel: z.literal('bot'), id: z.string().min(1).max(64), after: cursor }),
  z.object({ channel: z.literal('tasks') }),
  z.object({ channel: z.literal('board') }),
]);

const clientMessage = z.union([
  subscription.and(z.object({ type: z.literal('subscribe') })),
  subscription.and(z.object({ type: z.literal('unsubscribe') })),
  z.object({ type: z.literal('ping') }),
]);

/** Parses one frame from a browser; null when it is not a message we understand. */
export function parseClientMessage(raw: string): WsClientMessage | null {
  let json: unknown;
  try {
    json = JSON.parse(raw);
  } catch {
    return null;
  }
  const parsed = clientMessage.safeParse(json);
  return parsed.success ? (parsed.data as WsClientMessage) : null;
}
