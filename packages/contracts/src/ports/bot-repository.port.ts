import type { Bot, BotState, ChatMessage, ChatRole, ParsedNewBot } from '../bot.js';

export interface BotRepository {
  /** Creates a bot; throws AppError BOT_EXISTS when the id is taken. */
  create(bot: ParsedNewBot): Promise<Bot>;
  get(id: string): Promise<Bot | null>;
  /** Bots not deleted, ordered by id. */
  list(): Promise<Bot[]>;
  /** Start or stop; null when the bot does not exist. */
  setState(id: string, state: BotState): Promise<Bot | null>;
  /** Deletes the bot and its chat history; false when there was nothing to delete. */
  delete(id: string): Promise<boolean>;
  /**
   * Records a heartbeat (now, in UTC) from `workerId` for running bots among `ids`; `busyIds` are
   * answering a message right now. Returns the bots that were updated.
   */
  heartbeat(input: { ids: string[]; busyIds: string[]; workerId: string }): Promise<Bot[]>;
}

export interface NewChatMessage {
  botId: string;
  role: ChatRole;
  content: string;
  author?: string;
  taskId?: string;
}

export interface ChatHistoryQuery {
  /** Older page: messages with an id below this one (newest first, then returned in order). */
  beforeId?: string;
  /** Resume: messages with an id above this one, in order. */
  afterId?: string;
  limit?: number;
}

export interface ChatMessageRepository {
  append(message: NewChatMessage): Promise<ChatMessage>;
  get(id: string): Promise<ChatMessage | null>;
  /** Always in ascending id order. */
  list(botId: string, query?: ChatHistoryQuery): Promise<ChatMessage[]>;
}
