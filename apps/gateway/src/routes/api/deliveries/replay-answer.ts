import type { ProcessResult } from '../../../use-cases/process-delivery.js';

/** What POST /api/deliveries/:id/replay answers about the replay itself (`result`). */
export interface ReplayAnswer {
  /**
   * The delivery's outcome, or `already_ran`: the delivery already has a task that is not waiting
   * in the queue (running or finished), so the replay did not run it again ("never a second task").
   */
  status: ProcessResult['status'] | 'already_ran';
  task_id: string | null;
  /** The task's status now, when the delivery has a task the replay looked at. */
  task_status: string | null;
  reason: string | null;
  /** What to do instead, for `already_ran`. */
  hint: string | null;
}

export function replayAnswer(result: ProcessResult): ReplayAnswer {
  if (result.status === 'enqueued' && result.taskStatus !== 'queued') {
    return {
      status: 'already_ran',
      task_id: result.taskId,
      task_status: result.taskStatus,
      reason: `task ${result.taskId} already ${result.taskStatus === 'running' ? 'is running' : `ran (${result.taskStatus})`}; a replay never runs a delivery's task twice`,
      hint:
        result.taskStatus === 'running'
          ? `wait for task ${result.taskId} to finish, or cancel it (CLI: agent-bot cancel ${result.taskId})`
          : `to run it again, retry task ${result.taskId} (CLI: agent-bot retry ${result.taskId}; dashboard: Retry on the task; API: POST /api/tasks/${result.taskId}/retry)`,
    };
  }
  return {
    status: result.status,
    task_id: result.taskId,
    task_status: result.status === 'enqueued' ? result.taskStatus : null,
    reason: result.reason,
    hint: null,
  };
}
