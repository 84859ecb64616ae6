import type { Priority, TaskQueueLedger } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';

export class PostgresTaskQueueLedger implements TaskQueueLedger {
  constructor(private readonly sql: Sql) {}

  async markEnqueued(taskId: string): Promise<void> {
    await this.sql`update tasks set enqueued_at = coalesce(enqueued_at, now()) where id = ${taskId}`;
  }

  async listUnenqueued(options: { olderThanMs: number; limit: number }): Promise<Array<{ id: string; priority: Priority }>> {
    const rows = await this.sql<Array<{ id: string; priority: number }>>`
      select id, priority from tasks
      where status = 'queued' and enqueued_at is null
        -- A delivery still \`received\` is finished through its delivery (claimed under a lease), not
        -- here; a settled delivery's task is written \`queued\` before the job is added, so a crash or a
        -- Redis outage in between leaves it here.
        and (delivery_id is null or not exists (
          select 1 from deliveries d where d.id = tasks.delivery_id and d.status = 'received'))
        and created_at <= now() - make_interval(secs => ${options.olderThanMs / 1000})
      order by created_at
      limit ${options.limit}`;
    return rows.map((row) => ({ id: row.id, priority: `P${row.priority}` as Priority }));
  }
}
