import {
  AppError,
  type AttemptRun,
  type ParsedTaskRequest,
  type Task,
  type TaskListFilter,
  type TaskRepository,
  type TaskResultLinks,
  type TaskRun,
  type TaskUsage,
} from '@agent-bot/contracts';
import type { Sql, Tx } from '../create-sql.js';
import { listTaskRuns, recordAttemptUsage } from './task-attempt-usage.js';
import { priorityToNumber, type TaskRow, toTask } from './task-row.js';

export class PostgresTaskRepository implements TaskRepository {
  constructor(private readonly sql: Sql) {}

  async create(request: ParsedTaskRequest): Promise<Task> {
    const [row] = await this.sql<TaskRow[]>`
      insert into tasks (kind, priority, source, title, prompt, repo, installation_id, requested_by,
                         runner, model, bot_id, delivery_id, context)
      values (${request.kind}, ${priorityToNumber(request.priority)}, ${request.source}, ${request.title ?? null},
              ${request.prompt}, ${request.repo ?? null}, ${request.installationId ?? null},
              ${request.requestedBy ?? null}, ${request.runner ?? null}, ${request.model ?? null},
              ${request.botId ?? null}, ${request.deliveryId ?? null}, ${this.sql.json(request.context as never)})
      returning *`.catch((error: unknown) => {
      // An API caller may name any bot: one that does not exist (or was just deleted) is their mistake, not a 500.
      if ((error as { constraint_name?: string }).constraint_name === 'tasks_bot_id_fkey') {
        throw new AppError('BOT_NOT_FOUND', `bot ${request.botId} not found`, { expected: true });
      }
      throw error;
    });
    return toTask(row as TaskRow);
  }

  async get(id: string): Promise<Task | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.sql<TaskRow[]>`select * from tasks where id = ${id}`;
    return row ? toTask(row) : null;
  }

  async list(filter: TaskListFilter = {}): Promise<Task[]> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
    const sql = this.sql;
    const rows = await sql<TaskRow[]>`
      select * from tasks
      where true
        ${filter.status ? sql`and status = ${filter.status}` : sql``}
        ${filter.repo ? sql`and repo = ${filter.repo}` : sql``}
        ${filter.botId ? sql`and bot_id = ${filter.botId}` : sql``}
        ${
          filter.before && isUuid(filter.before)
            ? sql`and (created_at, id) < (select created_at, id from tasks where id = ${filter.before})`
            : sql``
        }
      order by created_at desc, id desc
      limit ${limit}`;
    return rows.map(toTask);
  }

  async markRunning(id: string, attempt: number): Promise<Task | null> {
    const [row] = await this.sql<TaskRow[]>`
      update tasks
      set status = 'running', attempts = greatest(attempts, ${attempt}),
          started_at = coalesce(started_at, now()), heartbeat_at = now(),
          error_code = null, error_message = null, ending_reported_at = null, ending_sweep_after = null
      where id = ${id} and status in ('queued', 'running')
      returning *`;
    return row ? toTask(row) : null;
  }

  async markSucceeded(
    id: string,
    outcome: AttemptRun & { usage?: TaskUsage; result?: TaskResultLinks & Record<string, unknown> },
  ): Promise<Task | null> {
    // The runner and model that actually ran (a task may name neither) fill the task's columns.
    const ran = (key: string) => (typeof outcome.result?.[key] === 'string' ? (outcome.result[key] as string) : null);
    return this.endAttempt(
      id,
      outcome,
      (sql) => sql<TaskRow[]>`
        update tasks
        set status = 'succeeded', finished_at = now(),
            runner = coalesce(${ran('runner')}, runner), model = coalesce(${ran('model')}, model),
            duration_ms = (extract(epoch from (now() - started_at)) * 1000)::int,
            result = result || ${sql.json((outcome.result ?? {}) as never)}
        where id = ${id} and status = 'running'
        returning *`,
    );
  }

  async markFailed(id: string, failure: AttemptRun & { code: string; message: string; usage?: TaskUsage }): Promise<Task | null> {
    return this.endAttempt(
      id,
      failure,
      (sql) => sql<TaskRow[]>`
        update tasks
        set status = 'failed', finished_at = now(),
            duration_ms = (extract(epoch from (now() - coalesce(started_at, created_at))) * 1000)::int,
            error_code = ${failure.code}, error_message = ${failure.message}
        where id = ${id} and status = 'running'
        returning *`,
    );
  }

  async markRetrying(
    id: string,
    failure: AttemptRun & { code: string; message: string; usage?: TaskUsage },
  ): Promise<Task | null> {
    return this.endAttempt(
      id,
      failure,
      (sql) => sql<TaskRow[]>`
        update tasks set status = 'queued', error_code = ${failure.code}, error_message = ${failure.message}
        where id = ${id} and status = 'running'
        returning *`,
    );
  }

  async heartbeat(id: string): Promise<void> {
    await this.sql`update tasks set heartbeat_at = now() where id = ${id} and status = 'running'`;
  }

  /**
   * One conditional UPDATE, like cancel(): when both run at once PostgreSQL makes the second wait
   * for the first and re-checks its WHERE on the committed row, so exactly one of them wins.
   */
  async startPublishing(id: string): Promise<Task | null> {
    const [row] = await this.sql<TaskRow[]>`
      update tasks set publishing_at = coalesce(publishing_at, now()), heartbeat_at = now()
      where id = ${id} and status = 'running'
      returning *`;
    return row ? toTask(row) : null;
  }

  async cancel(id: string, reason: string): Promise<Task | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.sql<TaskRow[]>`
      update tasks
      set status = 'cancelled', finished_at = now(), error_code = 'TASK_CANCELLED', error_message = ${reason},
          duration_ms = (extract(epoch from (now() - coalesce(started_at, created_at))) * 1000)::int,
          -- No attempt ever started: no tracking comment or reply exists, so nothing is left to tell.
          -- One that did (a retry waiting in the queue) has a comment saying "working": the sweep tells it.
          ending_reported_at = case when started_at is null then now() end
      where id = ${id} and status in ('queued', 'running') and publishing_at is null
      returning *`;
    return row ? toTask(row) : null;
  }

  async recordAttemptUsage(id: string, run: AttemptRun | number, usage: TaskUsage): Promise<Task | null> {
    if (!isUuid(id)) return null;
    const attemptRun = typeof run === 'number' ? { attempt: run } : run;
    const row = await this.sql.begin((tx) => recordAttemptUsage(tx, id, attemptRun, usage));
    return row ? toTask(row) : null;
  }

  async listRuns(id: string): Promise<TaskRun[]> {
    if (!isUuid(id)) return [];
    return listTaskRuns(this.sql, id);
  }

  async markEndingReported(id: string): Promise<boolean> {
    if (!isUuid(id)) return false;
    const rows = await this.sql`
      update tasks set ending_reported_at = now()
      where id = ${id} and ending_reported_at is null and status in ('succeeded', 'failed', 'cancelled')
      returning id`;
    return rows.length === 1;
  }

  /**
   * FOR UPDATE SKIP LOCKED takes rows no other sweeper is taking at this moment; the outer WHERE is
   * checked again on the row as committed, so a row another sweeper (or the worker) just took is
   * left out rather than taken twice.
   */
  async claimUnreportedEndings(options: { graceMs: number; retryAfterMs: number; limit?: number }): Promise<Task[]> {
    const rows = await this.sql<TaskRow[]>`
      update tasks set ending_sweep_after = now() + make_interval(secs => ${options.retryAfterMs / 1000})
      where id in (
          select id from tasks
          where ending_reported_at is null and status in ('succeeded', 'failed', 'cancelled')
            and coalesce(finished_at, created_at) < now() - make_interval(secs => ${options.graceMs / 1000})
            and (ending_sweep_after is null or ending_sweep_after <= now())
          order by finished_at
          limit ${options.limit ?? 20}
          for update skip locked)
        and ending_reported_at is null and (ending_sweep_after is null or ending_sweep_after <= now())
      returning *`;
    return rows.map(toTask);
  }

  /**
   * Only a running task is settled: a cancel, the stall detector or another worker that got there
   * first keeps what it wrote, and the caller reports that instead (null here). The attempt's
   * usage is counted either way, in the same transaction (the tokens were spent).
   */
  private async endAttempt(
    id: string,
    run: AttemptRun & { usage?: TaskUsage },
    transition: (sql: Sql | Tx) => Promise<TaskRow[]>,
  ): Promise<Task | null> {
    const { usage } = run;
    const [row] = usage
      ? await this.sql.begin(async (tx) => {
          await recordAttemptUsage(tx, id, { attempt: run.attempt, runId: run.runId }, usage);
          return transition(tx);
        })
      : await transition(this.sql);
    return row ? toTask(row) : null;
  }
}

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value);
}
