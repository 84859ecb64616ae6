import { PermanentJobError, type TaskRepository } from '@agent-bot/contracts';

/**
 * The point of no return between the agent's work and its result leaving the system (branch push,
 * pull request, review-thread and source replies, final comment). One conditional UPDATE decides,
 * against the API's cancel (also one), which came first:
 * - the cancel: this throws TASK_CANCELLED and nothing is pushed, opened or posted as a result;
 * - the claim: the API refuses cancels from now on (TASK_PUBLISHING, 409) and the task ends as
 *   what happened on GitHub: succeeded with its pull request, or failed with why publishing failed.
 *
 * Completing rather than rolling back: by the time a cancel could land, a pushed branch may have
 * started CI and fired webhooks, and an opened pull request has notified its watchers; deleting
 * them does not undo that, and a rollback can fail halfway, which leaves the very contradiction
 * this avoids. The agent's work is done and paid for at this point, so keeping it costs nothing.
 *
 * Throws TASK_NOT_RUNNING when the task was finished elsewhere (the stall detector failed it,
 * another worker completed it): this attempt's result must not be published over that.
 */
export async function startPublishing(tasks: TaskRepository, taskId: string): Promise<void> {
  if (await tasks.startPublishing(taskId)) return;
  const current = await tasks.get(taskId);
  if (current?.status === 'cancelled') {
    throw new PermanentJobError('TASK_CANCELLED', current.errorMessage ?? 'cancelled');
  }
  throw new PermanentJobError(
    'TASK_NOT_RUNNING',
    `task is ${current?.status ?? 'gone'} (finished elsewhere); this attempt's result is not published`,
  );
}
