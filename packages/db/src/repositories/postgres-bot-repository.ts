import { AppError, type Bot, type BotRepository, type BotState, type ParsedNewBot } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';

interface BotRow {
  id: string;
  name: string;
  runner: string;
  model: string | null;
  system_prompt: string;
  status: string;
  busy: boolean;
  last_heartbeat_at: Date | null;
  created_at: Date;
}

function toBot(row: BotRow): Bot {
  return {
    id: row.id,
    name: row.name,
    runner: row.runner as Bot['runner'],
    model: row.model,
    systemPrompt: row.system_prompt,
    state: row.status as BotState,
    lastHeartbeatAt: row.last_heartbeat_at,
    busy: row.busy,
    createdAt: row.created_at,
  };
}

export class PostgresBotRepository implements BotRepository {
  constructor(private readonly sql: Sql) {}

  async create(bot: ParsedNewBot): Promise<Bot> {
    const rows = await this.sql<BotRow[]>`
      insert into bots (id, name, runner, model, system_prompt)
      values (${bot.id}, ${bot.name ?? bot.id}, ${bot.runner}, ${bot.model ?? null}, ${bot.systemPrompt})
      on conflict (id) do nothing
      returning *`;
    const row = rows[0];
    if (!row) throw new AppError('BOT_EXISTS', `a bot with id ${bot.id} already exists`, { expected: true });
    return toBot(row);
  }

  async get(id: string): Promise<Bot | null> {
    const [row] = await this.sql<BotRow[]>`select * from bots where id = ${id} and deleted_at is null`;
    return row ? toBot(row) : null;
  }

  async list(): Promise<Bot[]> {
    const rows = await this.sql<BotRow[]>`select * from bots where deleted_at is null order by id`;
    return rows.map(toBot);
  }

  async setState(id: string, state: BotState): Promise<Bot | null> {
    // A stopped bot is no longer busy; its last heartbeat stays for the record.
    const [row] = await this.sql<BotRow[]>`
      update bots set status = ${state}, busy = case when ${state} = 'stopped' then false else busy end, updated_at = now()
      where id = ${id} and deleted_at is null
      returning *`;
    return row ? toBot(row) : null;
  }

  async delete(id: string): Promise<boolean> {
    // A hard delete: chat history goes with the bot (ON DELETE CASCADE), tasks keep a null bot id.
    const rows = await this.sql`delete from bots where id = ${id} returning id`;
    return rows.length > 0;
  }

  async heartbeat(input: { ids: string[]; busyIds: string[]; workerId: string }): Promise<Bot[]> {
    if (input.ids.length === 0) return [];
    const rows = await this.sql<BotRow[]>`
      update bots
      set last_heartbeat_at = now(), busy = id = any(${input.busyIds}::text[]), worker_id = ${input.workerId}
      where id = any(${input.ids}::text[]) and status = 'running' and deleted_at is null
      returning *`;
    return rows.map(toBot);
  }
}
