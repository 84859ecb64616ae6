import type { Task, TaskEvent } from '@agent-bot/contracts';

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

export function serializeTaskEvent(event: TaskEvent) {
  return {
    id: event.id,
    kind: event.kind,
    message: event.message,
    data: event.data,
    created_at: event.createdAt.toISOString(),
  };
}
