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

  async stalledPublishing(thresholdMs: number): Promise<Task[]> {
    const rows = await this.sql<TaskRow[]>`
      select * from tasks
      where status = 'running' and publishing_at is not null
        and coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => ${thresholdMs / 1000})
      order by id`;
    return rows.map(toTask);
  }

  async markStalled(thresholdMs: number, options: { publishing?: string[] } = {}): Promise<Task[]> {
    const seconds = Math.round(thresholdMs / 1000);
    const rows = await this.sql<TaskRow[]>`
      update tasks
      set status = 'failed', finished_at = now(),
          duration_ms = (extract(epoch from (now() - coalesce(started_at, created_at))) * 1000)::int,
          error_code = 'TASK_STALLED',
          error_message = case when publishing_at is null
            then ${`no heartbeat for more than ${seconds} s: the worker running it stopped`}
            else ${`no heartbeat for more than ${seconds} s while publishing its result, and no worker can take it over: its branch may have been pushed and a pull request opened`}
          end
      where status = 'running'
        and coalesce(heartbeat_at, started_at, created_at) < now() - make_interval(secs => ${thresholdMs / 1000})
        and (publishing_at is null or id = any(${options.publishing ?? []}::uuid[]))
      returning *`;
    return rows.map(toTask);
  }
}
