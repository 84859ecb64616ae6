import { type Bot, type BoardBot, type BoardSnapshot, deriveBotStatus } from '@agent-bot/contracts';
import type { GatewayDeps } from '../deps.js';

export function serializeBot(bot: Bot, now: Date, staleAfterMs: number): BoardBot {
  return {
    id: bot.id,
    name: bot.name,
    runner: bot.runner,
    model: bot.model,
    system_prompt: bot.systemPrompt,
    state: bot.state,
    status: deriveBotStatus(bot, now, staleAfterMs),
    last_heartbeat_at: bot.lastHeartbeatAt?.toISOString() ?? null,
    created_at: bot.createdAt.toISOString(),
  };
}

/** Bots with their live status, live workers and queue depth: what the status board shows. */
export async function buildBoard(
  deps: Pick<GatewayDeps, 'bots' | 'workers' | 'queue' | 'botStaleAfterMs'>,
  now = new Date(),
): Promise<BoardSnapshot> {
  const [bots, workers, queue] = await Promise.all([
    deps.bots.list(),
    deps.workers.list().catch(() => []),
    deps.queue.depth().catch(() => null),
  ]);
  return {
    bots: bots.map((bot) => serializeBot(bot, now, deps.botStaleAfterMs)),
    workers,
    queue,
    stale_after_seconds: Math.round(deps.botStaleAfterMs / 1000),
    at: now.toISOString(),
  };
}
