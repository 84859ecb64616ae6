import type { JobHandler } from '@agent-bot/contracts';
import { type ReplyToChatDeps, replyToChat } from '../chat/reply-to-chat.js';

/** `chat.reply`: thin adapter from the queue's job to the chat use case. */
export function createChatReplyProcessor(deps: ReplyToChatDeps): JobHandler<'chat.reply'> {
  return (payload, context) => replyToChat(deps, payload, context);
}
