import type { Task, TaskEvent, TaskRun } from '@agent-bot/contracts';

/** The REST shape of a task: snake_case, ISO timestamps. */
export function serializeTask(task: Task) {
  return {
    id: task.id,
    kind: task.kind,
    status: task.status,
    priority: task.priority,
    source: task.source,
    title: task.title,
    prompt: task.prompt,
    repo: task.repo,
    requested_by: task.requestedBy,
    runner: task.runner,
    model: task.model,
    bot_id: task.botId,
    delivery_id: task.deliveryId,
    attempts: task.attempts,
    input_tokens: task.inputTokens,
    output_tokens: task.outputTokens,
    cost_usd: task.costUsd,
    result: task.result,
    error_code: task.errorCode,
    error_message: task.errorMessage,
    created_at: task.createdAt.toISOString(),
    started_at: task.startedAt?.toISOString() ?? null,
    finished_at: task.finishedAt?.toISOString() ?? null,
    heartbeat_at: task.heartbeatAt?.toISOString() ?? null,
    // Set once the result started to be published: from then on the task cannot be cancelled.
    publishing_at: task.publishingAt?.toISOString() ?? null,
    duration_ms: task.durationMs,
  };
}

/**
 * The REST shape of one run of a task (`runs` in GET /api/tasks/:id): why the task cost what it
 * did. The task's input_tokens, output_tokens and cost_usd are the sum of its runs' figures.
 * - attempt: the job's attempt number (1 for the first, 2 for its retry, ...);
 * - run_id: the execution (a job taken over after its worker died runs again under the same
 *   attempt number, so an attempt can have several runs); null for runs recorded before run ids;
 * - input_tokens, output_tokens, cost_usd: what the run spent, as it last reported (while it runs,
 *   so far);
 * - first_recorded_at, recorded_at: when its usage was first and last written.
 */
export function serializeTaskRun(run: TaskRun) {
  return {
    attempt: run.attempt,
    run_id: run.runId,
    input_tokens: run.inputTokens,
    output_tokens: run.outputTokens,
    cost_usd: run.costUsd,
    first_recorded_at: run.firstRecordedAt.toISOString(),
    recorded_at: run.recordedAt.toISOString(),
  };
}

export function serializeTaskEvent(event: TaskEvent) {
  return {
    id: event.id,
    kind: event.kind,
    message: event.message,
    data: event.data,
    created_at: event.createdAt.toISOString(),
  };
}
