import type { AttemptRun, Task, TaskRepository, TaskResultLinks, TaskStatus, TaskUsage } from '@agent-bot/contracts';

/**
 * How this attempt would end the task, if the row still lets it. `usage` is what this run spent:
 * it is added to the task's totals under this run (attempt number and run id) whether or not the
 * row takes the verdict, so a task that needed several attempts, or several runs of one attempt
 * (a job taken over after its worker died), costs their sum.
 */
export type Verdict =
  | { kind: 'succeeded'; usage?: TaskUsage; result: TaskResultLinks & Record<string, unknown> }
  | { kind: 'failed'; code: string; message: string; usage?: TaskUsage }
  | { kind: 'retrying'; code: string; message: string; usage?: TaskUsage }
  /** `usage`: what the agent spent before the cancel stopped it, recorded on the cancelled row. */
  | { kind: 'cancelled'; message: string; usage?: TaskUsage };

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
export async function settleTask(tasks: TaskRepository, taskId: string, run: AttemptRun, verdict: Verdict): Promise<Settled> {
  const written = await write(tasks, taskId, run, verdict);
  if (written && verdict.kind !== 'cancelled') return { as: verdict.kind, task: written };
  const current = written ?? (await tasks.get(taskId));
  if (current?.status === 'cancelled') return { as: 'cancelled', reason: current.errorMessage ?? 'cancelled' };
  return { as: 'superseded', status: current?.status ?? 'gone' };
}

function write(tasks: TaskRepository, taskId: string, run: AttemptRun, verdict: Verdict): Promise<Task | null> {
  switch (verdict.kind) {
    case 'succeeded':
      return tasks.markSucceeded(taskId, { ...run, usage: verdict.usage, result: verdict.result });
    case 'failed':
      return tasks.markFailed(taskId, { ...run, code: verdict.code, message: verdict.message, usage: verdict.usage });
    case 'retrying':
      return tasks.markRetrying(taskId, { ...run, code: verdict.code, message: verdict.message, usage: verdict.usage });
    case 'cancelled':
      return cancelWithUsage(tasks, taskId, run, verdict);
    default: {
      const exhaustive: never = verdict;
      throw new Error(`unknown verdict ${JSON.stringify(exhaustive)}`);
    }
  }
}

/**
 * The cancel itself is usually a no-op: the API cancelled the row before the worker heard of it.
 * The attempt's usage is added either way, whoever cancelled: the tokens were spent, and the
 * monthly budget and the dashboard's cost figures sum the rows. The row returned says what the
 * task is now (cancelled, or settled otherwise), and settleTask reports that.
 */
async function cancelWithUsage(
  tasks: TaskRepository,
  taskId: string,
  run: AttemptRun,
  verdict: Extract<Verdict, { kind: 'cancelled' }>,
): Promise<Task | null> {
  const cancelled = await tasks.cancel(taskId, verdict.message);
  if (!verdict.usage) return cancelled;
  return (await tasks.recordAttemptUsage(taskId, run, verdict.usage)) ?? cancelled;
}

/**
 * This attempt found the task settled elsewhere before it could write a verdict (the stall
 * detector failed it, another worker finished it): theirs to report, but what this attempt's agent
 * spent still counts towards the task's cost.
 */
export async function settleSuperseded(
  tasks: TaskRepository,
  taskId: string,
  run: AttemptRun,
  usage: TaskUsage | undefined,
): Promise<Settled> {
  const current = usage ? await tasks.recordAttemptUsage(taskId, run, usage) : await tasks.get(taskId);
  return { as: 'superseded', status: current?.status ?? 'gone' };
}
