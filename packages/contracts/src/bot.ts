import { z } from 'zod';

/** Runners a bot may use; `noop` is for tasks only. */
export const BOT_RUNNERS = ['claude-code', 'ollama'] as const;
export const botRunnerSchema = z.enum(BOT_RUNNERS);
export type BotRunner = z.infer<typeof botRunnerSchema>;

/** A bot id such as CLAUDE-CODE-001: shown whole everywhere, so it stays short and plain. */
export const botIdSchema = z
  .string()
  .regex(/^[A-Z0-9][A-Z0-9_-]{0,63}$/, 'upper-case letters, digits, "-" and "_" only (e.g. CLAUDE-CODE-001), at most 64');

export const newBotSchema = z.object({
  id: botIdSchema,
  name: z.string().trim().min(1).max(200).optional(),
  runner: botRunnerSchema,
  model: z.string().trim().min(1).max(200).optional(),
  systemPrompt: z.string().max(20_000).default(''),
});
export type NewBot = z.input<typeof newBotSchema>;
export type ParsedNewBot = z.output<typeof newBotSchema>;

/** `running` bots are served by workers; `stopped` bots take no messages. */
export type BotState = 'running' | 'stopped';

export interface Bot {
  id: string;
  name: string;
  runner: BotRunner;
  model: string | null;
  systemPrompt: string;
  state: BotState;
  /** UTC; null until a worker has served the bot. */
  lastHeartbeatAt: Date | null;
  /** True while a worker is answering a message for this bot (as of its last heartbeat). */
  busy: boolean;
  createdAt: Date;
}

/** What the status board shows, derived from state and heartbeat age. */
export const BOT_LIVE_STATUSES = ['online', 'busy', 'stale', 'offline'] as const;
export type BotLiveStatus = (typeof BOT_LIVE_STATUSES)[number];

/**
 * - offline: stopped, or never heartbeated by a worker
 * - stale: running but no heartbeat for longer than `staleAfterMs`
 * - busy / online: heartbeating, answering a message or idle
 */
export function deriveBotStatus(
  bot: Pick<Bot, 'state' | 'lastHeartbeatAt' | 'busy'>,
  now: Date,
  staleAfterMs: number,
): BotLiveStatus {
  if (bot.state === 'stopped' || bot.lastHeartbeatAt === null) return 'offline';
  if (now.getTime() - bot.lastHeartbeatAt.getTime() > staleAfterMs) return 'stale';
  return bot.busy ? 'busy' : 'online';
}

export const CHAT_ROLES = ['user', 'assistant', 'system', 'error'] as const;
export type ChatRole = (typeof CHAT_ROLES)[number];

export interface ChatMessage {
  /** Ordered per bot; a viewer resumes from the last id it has. */
  id: string;
  botId: string;
  role: ChatRole;
  content: string;
  author: string | null;
  taskId: string | null;
  createdAt: Date;
}
