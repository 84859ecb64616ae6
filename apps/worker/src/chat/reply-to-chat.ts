import {
  type AgentRunner,
  type BotRepository,
  type ChatMessageRepository,
  type EventBus,
  type JobContext,
  type LiveEvent,
  type NewChatMessage,
  liveChannels,
} from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import type { BusyBots } from '../bots/busy-bots.js';
import { buildChatPrompt } from './chat-prompt.js';

export interface ReplyToChatDeps {
  bots: BotRepository;
  chat: ChatMessageRepository;
  events: EventBus;
  logger: Logger;
  busy: BusyBots;
  /** Throws (e.g. RUNNER_UNAVAILABLE) when this worker has no such runner. */
  resolveRunner: (runnerName: string) => AgentRunner;
  /** Called when a bot turns busy or idle so the board updates at once. */
  onBusyChange?: () => Promise<void>;
  limits: { timeoutMs: number; maxCostUsd: number };
  /** Messages of context sent to the runner. */
  historyLimit?: number;
}

/**
 * Answers one chat message: streams the runner's tokens to the bot's viewers, then stores the whole
 * answer. Any failure (runner down, bot stopped) becomes an `error` message in the chat, so the
 * viewer sees what went wrong instead of a spinner; nothing is rethrown (the job is not retried).
 */
export async function replyToChat(deps: ReplyToChatDeps, input: { botId: string; messageId: string }, job: JobContext) {
  const { botId, messageId } = input;
  const log = deps.logger.child({ botId, messageId });
  const publish = async (event: LiveEvent) => {
    try {
      await deps.events.publish(liveChannels.bot(botId), event);
    } catch (error) {
      log.debug({ err: error }, 'live event not published');
    }
  };
  const store = async (message: Omit<NewChatMessage, 'botId'>) => {
    const saved = await deps.chat.append({ ...message, botId });
    await publish({
      kind: 'chat.message',
      botId,
      messageId: saved.id,
      role: saved.role,
      content: saved.content,
      at: saved.createdAt.toISOString(),
      replyTo: messageId,
    });
  };

  const bot = await deps.bots.get(botId);
  if (!bot) {
    log.info('bot was deleted before its reply; nothing to do');
    return;
  }
  if (bot.state === 'stopped') {
    await store({ role: 'error', content: `${bot.id} is stopped; start it to get an answer.` });
    return;
  }
  const question = await deps.chat.get(messageId);
  if (!question || question.botId !== botId) {
    log.info('message is gone; nothing to answer');
    return;
  }
  const history = await deps.chat.list(botId, { beforeId: String(BigInt(messageId) + 1n), limit: deps.historyLimit ?? 20 });

  deps.busy.start(botId);
  await deps.onBusyChange?.();
  let answer = '';
  try {
    const runner = deps.resolveRunner(bot.runner);
    const events = runner.run(
      {
        taskId: `chat-${messageId}`,
        prompt: buildChatPrompt(history),
        systemPrompt: bot.systemPrompt || undefined,
        model: bot.model ?? undefined,
        limits: deps.limits,
      },
      job.signal,
    );
    let failure: string | undefined;
    for await (const event of events) {
      if (event.kind === 'token') {
        answer += event.token;
        await publish({ kind: 'chat.token', botId, replyTo: messageId, token: event.token });
      } else if (event.kind === 'text' && answer === '') {
        answer = event.text;
      } else if (event.kind === 'result') {
        if (!event.ok) failure = event.summary;
        else if (answer === '') answer = event.summary;
        break;
      }
    }
    if (failure !== undefined) await store({ role: 'error', content: failure });
    else await store({ role: 'assistant', content: answer.trim() === '' ? '(empty answer)' : answer.trim() });
  } catch (error) {
    const message = job.signal.aborted ? `the answer was stopped: ${String(job.signal.reason)}` : (error as Error).message;
    log.warn({ err: error }, 'chat reply failed');
    // Keep what already streamed so the viewer's partial answer is not silently dropped.
    if (answer.trim() !== '') await store({ role: 'assistant', content: answer.trim() });
    await store({ role: 'error', content: message });
  } finally {
    deps.busy.end(botId);
    await deps.onBusyChange?.();
  }
}
