import type { ChatMessage } from '@agent-bot/contracts';

export function serializeChatMessage(message: ChatMessage) {
  return {
    id: message.id,
    bot_id: message.botId,
    role: message.role,
    content: message.content,
    author: message.author,
    created_at: message.createdAt.toISOString(),
  };
}
