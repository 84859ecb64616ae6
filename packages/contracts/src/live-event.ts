import type { TaskStatus } from './task.js';

/**
 * Events streamed live to dashboards over Redis pub/sub and WebSocket. A discriminated union on
 * `kind`: consumers switch exhaustively so a new kind is a compile error until handled.
 */
export type LiveEvent =
  | { kind: 'task.status'; taskId: string; status: TaskStatus; at: string; errorMessage?: string }
  | { kind: 'task.log'; taskId: string; eventId: string; logKind: string; message: string; at: string }
  | { kind: 'bot.status'; botId: string; status: string; at: string }
  | { kind: 'chat.token'; botId: string; messageId: string; token: string }
  | { kind: 'chat.message'; botId: string; messageId: string; role: string; content: string; at: string };

export type LiveEventKind = LiveEvent['kind'];

/** Channel names: one per task and per bot, plus the global feeds the list pages follow. */
export const liveChannels = {
  task: (taskId: string) => `task:${taskId}`,
  bot: (botId: string) => `bot:${botId}`,
  tasks: 'tasks',
  bots: 'bots',
} as const;
