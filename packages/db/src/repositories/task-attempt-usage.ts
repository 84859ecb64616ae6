import type { AttemptRun, TaskRun, TaskUsage } from '@agent-bot/contracts';
import type { Sql, Tx } from '../create-sql.js';
import type { TaskRow } from './task-row.js';

/**
 * Stores what one run of an attempt has spent so far and makes the task's totals the sum over its
 * runs, returning the task row (none when the task is gone). Must run inside a transaction, which
 * it starts by locking the task row: two runs of one task recorded at once (a late attempt the
 * stall detector gave up on, and its successor; a dead worker's run and the one that took its job
 * over) then take turns, and each sum sees the other's row. Without the lock the second UPDATE
 * would re-check the row after the first committed but sum from its older snapshot, and lose the
 * first run.
 *
 * A run's figures are cumulative (what it has spent so far), written as the run goes and again
 * with its verdict: a repeated write replaces rather than adds (counted once), and each field keeps
 * the higher of old and new, so a write that arrives late (a running figure landing after the
 * verdict's) never lowers what was recorded. Runs are told apart by `runId` (see AttemptRun): two
 * executions of the same attempt number both count.
 */
export async function recordAttemptUsage(tx: Tx, taskId: string, run: AttemptRun, usage: TaskUsage): Promise<TaskRow | null> {
  const [locked] = await tx`select id from tasks where id = ${taskId} for update`;
  if (!locked) return null;
  await tx`
    insert into task_attempt_usage (task_id, attempt, run_id, input_tokens, output_tokens, cost_usd)
    values (${taskId}, ${run.attempt}, ${run.runId ?? ''}, ${usage.inputTokens}, ${usage.outputTokens}, ${usage.costUsd})
    on conflict (task_id, attempt, run_id) do update
    set input_tokens = greatest(task_attempt_usage.input_tokens, excluded.input_tokens),
        output_tokens = greatest(task_attempt_usage.output_tokens, excluded.output_tokens),
        cost_usd = greatest(task_attempt_usage.cost_usd, excluded.cost_usd), recorded_at = now()`;
  const [row] = await tx<TaskRow[]>`
    update tasks
    set input_tokens = spent.input_tokens, output_tokens = spent.output_tokens, cost_usd = spent.cost_usd
    from (
      select coalesce(sum(input_tokens), 0) as input_tokens, coalesce(sum(output_tokens), 0) as output_tokens,
             coalesce(sum(cost_usd), 0) as cost_usd
      from task_attempt_usage where task_id = ${taskId}
    ) as spent
    where tasks.id = ${taskId}
    returning tasks.*`;
  return row ?? null;
}

interface TaskRunRow {
  attempt: number;
  run_id: string;
  input_tokens: string | number;
  output_tokens: string | number;
  cost_usd: string | number;
  first_recorded_at: Date;
  recorded_at: Date;
}

/**
 * A task's runs, by attempt and then by when each was first recorded (run_id breaks a tie: two
 * runs first written in one instant are still listed the same way every time).
 */
export async function listTaskRuns(sql: Sql, taskId: string): Promise<TaskRun[]> {
  const rows = await sql<TaskRunRow[]>`
    select attempt, run_id, input_tokens, output_tokens, cost_usd, first_recorded_at, recorded_at
    from task_attempt_usage where task_id = ${taskId}
    order by attempt, first_recorded_at, run_id`;
  return rows.map((row) => ({
    attempt: row.attempt,
    runId: row.run_id === '' ? null : row.run_id,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: Number(row.cost_usd),
    firstRecordedAt: row.first_recorded_at,
    recordedAt: row.recorded_at,
  }));
}
