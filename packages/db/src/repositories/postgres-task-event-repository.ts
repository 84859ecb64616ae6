import type { NewTaskEvent, TaskEvent, TaskEventRepository } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';

interface TaskEventRow {
  id: number;
  task_id: string;
  kind: string;
  message: string;
  data: Record<string, unknown>;
  created_at: Date;
}

function toTaskEvent(row: TaskEventRow): TaskEvent {
  return {
    id: String(row.id),
    taskId: row.task_id,
    kind: row.kind,
    message: row.message,
    data: row.data,
    createdAt: row.created_at,
  };
}

export class PostgresTaskEventRepository implements TaskEventRepository {
  constructor(private readonly sql: Sql) {}

  async append(taskId: string, event: NewTaskEvent): Promise<TaskEvent> {
    const [row] = await this.sql<TaskEventRow[]>`
      insert into task_events (task_id, kind, message, data)
      values (${taskId}, ${event.kind}, ${event.message}, ${this.sql.json((event.data ?? {}) as never)})
      returning *`;
    return toTaskEvent(row as TaskEventRow);
  }

  async list(taskId: string, options: { afterId?: string; limit?: number } = {}): Promise<TaskEvent[]> {
    const limit = Math.min(Math.max(options.limit ?? 1000, 1), 5000);
    const afterId = options.afterId && /^\d+$/.test(options.afterId) ? Number(options.afterId) : 0;
    const rows = await this.sql<TaskEventRow[]>`
      select * from task_events where task_id = ${taskId} and id > ${afterId} order by id limit ${limit}`;
    return rows.map(toTaskEvent);
  }

  async listOfKind(taskId: string, kind: string): Promise<TaskEvent[]> {
    // task_events_task_idx narrows to the task; its events of other kinds are filtered out.
    const rows = await this.sql<TaskEventRow[]>`
      select * from task_events where task_id = ${taskId} and kind = ${kind} order by id`;
    return rows.map(toTaskEvent);
  }
}
