import type { BotLiveStatus, ChatRole } from './bot.js';
import type { TaskStatus } from './task.js';

/**
 * Events streamed live to dashboards over Redis pub/sub and WebSocket. A discriminated union on
 * `kind`: consumers switch exhaustively so a new kind is a compile error until handled. Every bot
 * event carries its bot id and is published on that bot's channel only.
 */
export type LiveEvent =
  | { kind: 'task.status'; taskId: string; status: TaskStatus; at: string; errorMessage?: string }
  | { kind: 'task.log'; taskId: string; eventId: string; logKind: string; message: string; at: string }
  | {
      kind: 'bot.status';
      botId: string;
      status: BotLiveStatus;
      /** UTC ISO time of the last heartbeat, null when none yet. */
      lastHeartbeatAt: string | null;
      at: string;
    }
  /** One streamed token of the reply to user message `replyTo` (tokens are not stored; the full reply is). */
  | { kind: 'chat.token'; botId: string; replyTo: string; token: string }
  | {
      kind: 'chat.message';
      botId: string;
      messageId: string;
      role: ChatRole;
      content: string;
      at: string;
      /** For replies: the user message answered. */
      replyTo?: string;
    }
  /**
   * Someone cancelled a running task: the worker running it stops its agent. Published on
   * liveChannels.taskCancels only, which workers follow and browsers cannot subscribe to.
   */
  | { kind: 'task.cancel_requested'; taskId: string; reason: string; at: string }
  /** Bots were launched, stopped or deleted: boards reload their list. */
  | { kind: 'bots.changed'; botId: string; change: 'created' | 'started' | 'stopped' | 'deleted'; at: string };

export type LiveEventKind = LiveEvent['kind'];

/** Channel names: one per task and per bot, plus the global feeds the list pages follow. */
export const liveChannels = {
  task: (taskId: string) => `task:${taskId}`,
  bot: (botId: string) => `bot:${botId}`,
  tasks: 'tasks',
  bots: 'bots',
  /** Cancel requests for running tasks (workers only; not a WebSocket subscription). */
  taskCancels: 'task-cancels',
} as const;
