import { type BotRepository, type EventBus, type LiveEvent, deriveBotStatus, liveChannels } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import type { BusyBots } from './busy-bots.js';

export interface BotHeartbeatOptions {
  bots: BotRepository;
  events: EventBus;
  logger: Logger;
  busy: BusyBots;
  workerId: string;
  /** Runners this worker can run; bots of other runners are left to workers that have them. */
  runners: string[];
  intervalMs: number;
  staleAfterMs: number;
}

export interface BotHeartbeat {
  /** Beats at once (e.g. when a bot turns busy or idle) instead of waiting for the next tick. */
  beatNow(): Promise<void>;
  stop(): Promise<void>;
}

/**
 * Bots run in workers: every worker heartbeats each running bot whose runner it has, so a bot is
 * online while at least one worker can answer for it, and turns stale when none has for a while.
 */
export function startBotHeartbeat(options: BotHeartbeatOptions): BotHeartbeat {
  let stopped = false;
  let inFlight: Promise<void> = Promise.resolve();

  const beat = async () => {
    if (stopped) return;
    try {
      const served = (await options.bots.list()).filter((bot) => bot.state === 'running' && options.runners.includes(bot.runner));
      const updated = await options.bots.heartbeat({
        ids: served.map((bot) => bot.id),
        busyIds: options.busy.ids(),
        workerId: options.workerId,
      });
      const now = new Date();
      await Promise.all(
        updated.map((bot) => {
          const event: LiveEvent = {
            kind: 'bot.status',
            botId: bot.id,
            status: deriveBotStatus(bot, now, options.staleAfterMs),
            lastHeartbeatAt: bot.lastHeartbeatAt?.toISOString() ?? null,
            at: now.toISOString(),
          };
          return Promise.all([
            options.events.publish(liveChannels.bot(bot.id), event),
            options.events.publish(liveChannels.bots, event),
          ]);
        }),
      );
    } catch (error) {
      options.logger.warn({ err: error }, 'bot heartbeat failed');
    }
  };

  const tick = () => {
    inFlight = inFlight.then(beat);
    return inFlight;
  };
  void tick();
  const timer = setInterval(tick, options.intervalMs);
  timer.unref();

  return {
    beatNow: tick,
    async stop() {
      stopped = true;
      clearInterval(timer);
      await inFlight;
    },
  };
}
