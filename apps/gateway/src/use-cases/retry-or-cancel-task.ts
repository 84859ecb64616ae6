import { AppError, type Task, liveChannels } from '@agent-bot/contracts';
import type { GatewayDeps } from '../deps.js';
import { type CreateTaskResult, createTask } from './create-task.js';

type Deps = Pick<GatewayDeps, 'tasks' | 'taskEvents' | 'queue' | 'events' | 'logger' | 'metrics'>;

/**
 * Cancels a queued or running task. A queued job finds the task final and never starts; a running
 * one is stopped by the worker that holds it, which follows the cancel requests published here
 * (the row says cancelled at once; the worker then kills the agent and reports it on the thread).
 * A task publishing its result (push, pull request) is past the point of no return: the cancel is
 * refused with TASK_PUBLISHING and noted on the task's log, and the task ends as what happened.
 */
export async function cancelTask(deps: Deps, id: string, reason: string): Promise<Task> {
  const existing = await deps.tasks.get(id);
  if (!existing) throw new AppError('TASK_NOT_FOUND', `task ${id} not found`, { expected: true });
  const task = await deps.tasks.cancel(id, reason);
  if (!task) {
    // Read again: the worker may have started publishing (or finished) since `existing` was read.
    const current = (await deps.tasks.get(id)) ?? existing;
    if (current.publishingAt && (current.status === 'queued' || current.status === 'running')) {
      await refusePublishingCancel(deps, id, reason);
    }
    throw new AppError('TASK_NOT_CANCELLABLE', `task ${id} is already ${current.status}`, { expected: true });
  }
  const event = {
    kind: 'task.status',
    taskId: id,
    status: 'cancelled',
    at: new Date().toISOString(),
    errorMessage: reason,
  } as const;
  const request = { kind: 'task.cancel_requested', taskId: id, reason, at: event.at } as const;
  await Promise.all([
    deps.events.publish(liveChannels.taskCancels, request),
    deps.events.publish(liveChannels.task(id), event),
    deps.events.publish(liveChannels.tasks, event),
  ]).catch((error: unknown) =>
    // The worker also sees the cancelled row at its next heartbeat, so a lost message only delays the stop.
    deps.logger.warn({ err: error, taskId: id }, 'cancel not published'),
  );
  // A running task's worker logs the cancel as it stops the agent; a queued one never reaches a
  // worker, so its log says it here (otherwise it would end with no line at all).
  if (existing.status === 'queued') await appendLogLine(deps, id, 'cancelled', reason, { code: 'TASK_CANCELLED' });
  return task;
}

async function refusePublishingCancel(deps: Deps, id: string, reason: string): Promise<never> {
  const message = `cancel refused (${reason}): the result was already being published, so the task finishes as published`;
  await appendLogLine(deps, id, 'cancel.refused', message, { code: 'TASK_PUBLISHING' });
  throw new AppError(
    'TASK_PUBLISHING',
    `task ${id} is already publishing its result (branch, pull request, replies) and can no longer be cancelled; it finishes as published`,
    { expected: true },
  );
}

/**
 * A line in the task's stored log, also sent to its live viewers. Best effort: the API's answer is
 * what matters to the caller; the line is a courtesy to whoever reads the log.
 */
async function appendLogLine(deps: Deps, id: string, kind: string, message: string, data: Record<string, unknown>) {
  try {
    const event = await deps.taskEvents.append(id, { kind, message, data });
    await deps.events.publish(liveChannels.task(id), {
      kind: 'task.log',
      taskId: id,
      eventId: event.id,
      logKind: event.kind,
      message,
      at: event.createdAt.toISOString(),
    });
  } catch (error) {
    deps.logger.warn({ err: error, taskId: id, kind }, 'task log line not recorded');
  }
}

/**
 * Runs a finished task again as a new task (the job id is the task id, and the old job may still
 * be kept by the queue, so reusing the id would be ignored). The new task points at the old one.
 */
export async function retryTask(deps: Deps, id: string, requestedBy: string): Promise<CreateTaskResult> {
  const original = await deps.tasks.get(id);
  if (!original) throw new AppError('TASK_NOT_FOUND', `task ${id} not found`, { expected: true });
  if (original.status === 'queued' || original.status === 'running') {
    throw new AppError('TASK_NOT_RETRYABLE', `task ${id} is still ${original.status}`, { expected: true });
  }
  return createTask(deps, {
    kind: original.kind,
    priority: original.priority,
    source: original.source,
    prompt: original.prompt,
    title: original.title ?? undefined,
    repo: original.repo ?? undefined,
    installationId: original.installationId ?? undefined,
    requestedBy,
    runner: original.runner ?? undefined,
    model: original.model ?? undefined,
    botId: original.botId ?? undefined,
    // The delivery stays linked to the first task only (one task per delivery).
    context: { ...original.context, retryOf: original.id },
  });
}
