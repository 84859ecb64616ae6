import type { ChatMessage } from '@agent-bot/contracts';

const LABELS: Record<ChatMessage['role'], string | null> = {
  user: 'User',
  assistant: 'Assistant',
  system: 'System',
  error: null,
};

/**
 * The conversation as one prompt (runners take a single prompt plus a system prompt). Error notes
 * shown to the user are not part of the conversation.
 */
export function buildChatPrompt(history: ChatMessage[]): string {
  const lines: string[] = [];
  for (const message of history) {
    const label = LABELS[message.role];
    if (label) lines.push(`${label}: ${message.content}`);
  }
  return `${lines.join('\n\n')}\n\nAssistant:`;
}
