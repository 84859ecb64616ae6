import type { InstallationSpend, StalledTasks, Task } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';
import { type TaskRow, toTask } from './task-row.js';

/** Month-to-date cost per installation, summed from the tasks table. */
export class PostgresInstallationSpend implements InstallationSpend {
  constructor(private readonly sql: Sql) {}

  async monthToDateUsd(installationId: string, now: Date = new Date()): Promise<number> {
    const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
    const [row] = await this.sql<{ total: string | null }[]>`
      select sum(cost_usd) as total from tasks
      where installation_id = ${installationId} and created_at >= ${monthStart}`;
    return Number(row?.total ?? 0);
  }
}

/** Running tasks whose heartbeat stopped, failed with TASK_STALLED in one statement. */
export class PostgresStalledTasks implements StalledTasks {
  constructor(private readonly sql: Sql) {}

  async markStalled(thresholdMs: number): Promise<Task[]> {
    const rows = await this.sql<TaskRow[]>`
      update tasks
      set status = 'failed', finished_at = now(),
          duration_ms = (extract(epoch from (now() - coalesce(started_at, created_at))) * 1000)::int,
          error_code = 'TASK_STALLED',
          error_message = ${`no heartbeat for more than ${Math.round(thresholdMs / 1000)} s: the worker running it stopped`}
      where status = 'running'
        and coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => ${thresholdMs / 1000})
      returning *`;
    return rows.map(toTask);
  }
}
