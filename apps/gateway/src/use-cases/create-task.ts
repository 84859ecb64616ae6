import type { JobQueue, ParsedTaskRequest, Task, TaskQueueLedger, TaskRepository } from '@agent-bot/contracts';
import type { Logger, Metrics } from '@agent-bot/observability';

export interface CreateTaskResult {
  task: Task;
  /** False when the queue was unreachable: the task row is kept and the reconciler enqueues it later. */
  enqueued: boolean;
}

/** The row is written first, so a task is never lost even when Redis is down at that moment. */
export async function createTask(
  deps: { tasks: TaskRepository; queue: JobQueue; logger: Logger; metrics: Metrics; taskLedger?: TaskQueueLedger },
  request: ParsedTaskRequest,
): Promise<CreateTaskResult> {
  const task = await deps.tasks.create(request);
  deps.metrics.tasksCreatedTotal.inc({ source: task.source, kind: task.kind });
  try {
    await deps.queue.enqueue('task.run', { taskId: task.id }, { jobId: task.id, priority: task.priority });
  } catch (error) {
    deps.logger.warn({ taskId: task.id, err: error }, 'queue unavailable; task stored and left for the reconciler');
    return { task, enqueued: false };
  }
  // Without this mark the inbox reconciler would queue the task again (harmless: same job id).
  await deps.taskLedger?.markEnqueued(task.id);
  return { task, enqueued: true };
}
