import { AppError, type ChatMessage, liveChannels } from '@agent-bot/contracts';
import type { GatewayDeps } from '../deps.js';

/**
 * Stores the user's message, shows it to the bot's viewers, and queues the reply at P0 (a person
 * is waiting). When the queue is down the chat says so instead of waiting forever.
 */
export async function sendChatMessage(
  deps: Pick<GatewayDeps, 'bots' | 'chat' | 'events' | 'queue' | 'logger'>,
  input: { botId: string; content: string; author: string },
): Promise<{ message: ChatMessage; queued: boolean }> {
  const bot = await deps.bots.get(input.botId);
  if (!bot) throw new AppError('BOT_NOT_FOUND', `bot ${input.botId} not found`, { expected: true });
  if (bot.state === 'stopped') {
    throw new AppError('BOT_STOPPED', `${bot.id} is stopped; start it before chatting`, { expected: true });
  }
  const message = await deps.chat.append({ botId: bot.id, role: 'user', content: input.content, author: input.author });
  await publishChatMessage(deps, message);
  try {
    // BullMQ refuses purely numeric custom ids, hence the prefix; one reply per message.
    await deps.queue.enqueue(
      'chat.reply',
      { botId: bot.id, messageId: message.id },
      { jobId: `chat-${message.id}`, priority: 'P0' },
    );
    return { message, queued: true };
  } catch (error) {
    deps.logger.warn({ err: error, botId: bot.id }, 'chat reply not queued');
    const note = await deps.chat.append({
      botId: bot.id,
      role: 'error',
      content: 'The job queue is unreachable, so no worker received this message. Try again when Redis is back.',
    });
    await publishChatMessage(deps, note, message.id);
    return { message, queued: false };
  }
}

export async function publishChatMessage(deps: Pick<GatewayDeps, 'events' | 'logger'>, message: ChatMessage, replyTo?: string) {
  try {
    await deps.events.publish(liveChannels.bot(message.botId), {
      kind: 'chat.message',
      botId: message.botId,
      messageId: message.id,
      role: message.role,
      content: message.content,
      at: message.createdAt.toISOString(),
      replyTo,
    });
  } catch (error) {
    // The row is stored; viewers see it on their next load or resume.
    deps.logger.debug({ err: error }, 'chat message not published live');
  }
}
