import type { TaskUsage } from '@agent-bot/contracts';
import type { Tx } from '../create-sql.js';
import type { TaskRow } from './task-row.js';

/**
 * Stores what one attempt spent and makes the task's totals the sum over its attempts, returning
 * the task row (none when the task is gone). Must run inside a transaction, which it starts by
 * locking the task row: two attempts of one task recorded at once (a late attempt the stall
 * detector gave up on, and its successor) then take turns, and each sum sees the other's row. Without
 * the lock the second UPDATE would re-check the row after the first committed but sum from its
 * older snapshot, and lose the first attempt.
 *
 * The attempt's row holds its latest figures: a repeated write (the settle path and the
 * cancelled-usage record, a worker redoing its settle after a crash) replaces rather than adds.
 */
export async function recordAttemptUsage(tx: Tx, taskId: string, attempt: number, usage: TaskUsage): Promise<TaskRow | null> {
  const [locked] = await tx`select id from tasks where id = ${taskId} for update`;
  if (!locked) return null;
  await tx`
    insert into task_attempt_usage (task_id, attempt, input_tokens, output_tokens, cost_usd)
    values (${taskId}, ${attempt}, ${usage.inputTokens}, ${usage.outputTokens}, ${usage.costUsd})
    on conflict (task_id, attempt) do update
    set input_tokens = excluded.input_tokens, output_tokens = excluded.output_tokens,
        cost_usd = excluded.cost_usd, recorded_at = now()`;
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
