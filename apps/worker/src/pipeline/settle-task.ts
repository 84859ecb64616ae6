import type { Task, TaskRepository, TaskResultLinks, TaskStatus, TaskUsage } from '@agent-bot/contracts';

/** How this attempt would end the task, if the row still lets it. */
export type Verdict =
  | { kind: 'succeeded'; usage?: TaskUsage; result: TaskResultLinks & Record<string, unknown> }
  | { kind: 'failed'; code: string; message: string; usage?: TaskUsage }
  | { kind: 'retrying'; code: string; message: string }
  | { kind: 'cancelled'; message: string };

/** How the task did end: what the row says now. The comment, replies and events say the same. */
export type Settled =
  | { as: 'succeeded'; task: Task }
  | { as: 'failed'; task: Task }
  | { as: 'retrying'; task: Task }
  /** Cancelled, by this attempt or (usually) by the API before it; `reason` is the row's. */
  | { as: 'cancelled'; reason: string }
  /** Someone else settled it (the stall detector, another worker): theirs to report. */
  | { as: 'superseded'; status: TaskStatus | 'gone' };

/**
 * The row is the single decider of how a task ended. The verdict is written with one conditional
 * UPDATE that only takes a running task; when it does not take, the row already says something
 * else (a cancel that landed while the agent's failure was being handled, a stall verdict) and
 * that is what this attempt reports. Nothing user-visible is written before this: a comment saying
 * "failed" beside a row saying "cancelled" cannot happen.
 */
export async function settleTask(tasks: TaskRepository, taskId: string, verdict: Verdict): Promise<Settled> {
  const written = await write(tasks, taskId, verdict);
  if (written && verdict.kind !== 'cancelled') return { as: verdict.kind, task: written };
  const current = written ?? (await tasks.get(taskId));
  if (current?.status === 'cancelled') return { as: 'cancelled', reason: current.errorMessage ?? 'cancelled' };
  return { as: 'superseded', status: current?.status ?? 'gone' };
}

function write(tasks: TaskRepository, taskId: string, verdict: Verdict): Promise<Task | null> {
  switch (verdict.kind) {
    case 'succeeded':
      return tasks.markSucceeded(taskId, { usage: verdict.usage, result: verdict.result });
    case 'failed':
      return tasks.markFailed(taskId, { code: verdict.code, message: verdict.message, usage: verdict.usage });
    case 'retrying':
      return tasks.markRetrying(taskId, { code: verdict.code, message: verdict.message });
    case 'cancelled':
      // Usually a no-op: the API cancelled the row before the worker heard of it.
      return tasks.cancel(taskId, verdict.message);
    default: {
      const exhaustive: never = verdict;
      throw new Error(`unknown verdict ${JSON.stringify(exhaustive)}`);
    }
  }
}
