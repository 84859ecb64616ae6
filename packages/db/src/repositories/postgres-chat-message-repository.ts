import type { ChatHistoryQuery, ChatMessage, ChatMessageRepository, NewChatMessage } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';

interface ChatMessageRow {
  id: string | number;
  bot_id: string;
  role: string;
  content: string;
  author: string | null;
  task_id: string | null;
  created_at: Date;
}

function toChatMessage(row: ChatMessageRow): ChatMessage {
  return {
    id: String(row.id),
    botId: row.bot_id,
    role: row.role as ChatMessage['role'],
    content: row.content,
    author: row.author,
    taskId: row.task_id,
    createdAt: row.created_at,
  };
}

const DIGITS = /^\d+$/;

export class PostgresChatMessageRepository implements ChatMessageRepository {
  constructor(private readonly sql: Sql) {}

  async append(message: NewChatMessage): Promise<ChatMessage> {
    const [row] = await this.sql<ChatMessageRow[]>`
      insert into chat_messages (bot_id, role, content, author, task_id)
      values (${message.botId}, ${message.role}, ${message.content}, ${message.author ?? null}, ${message.taskId ?? null})
      returning *`;
    return toChatMessage(row as ChatMessageRow);
  }

  async get(id: string): Promise<ChatMessage | null> {
    if (!DIGITS.test(id)) return null;
    const [row] = await this.sql<ChatMessageRow[]>`select * from chat_messages where id = ${id}`;
    return row ? toChatMessage(row) : null;
  }

  async list(botId: string, query: ChatHistoryQuery = {}): Promise<ChatMessage[]> {
    const limit = Math.min(Math.max(query.limit ?? 50, 1), 500);
    const sql = this.sql;
    if (query.afterId !== undefined && DIGITS.test(query.afterId)) {
      const rows = await sql<ChatMessageRow[]>`
        select * from chat_messages where bot_id = ${botId} and id > ${query.afterId} order by id limit ${limit}`;
      return rows.map(toChatMessage);
    }
    // Newest page first (or the page before `beforeId`), returned oldest-first for display.
    const rows = await sql<ChatMessageRow[]>`
      select * from chat_messages
      where bot_id = ${botId}
        ${query.beforeId !== undefined && DIGITS.test(query.beforeId) ? sql`and id < ${query.beforeId}` : sql``}
      order by id desc limit ${limit}`;
    return rows.map(toChatMessage).reverse();
  }
}
