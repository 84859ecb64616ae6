import type { Priority, Task } from '@agent-bot/contracts';

export interface TaskRow {
  id: string;
  kind: string;
  status: string;
  priority: number;
  source: string;
  title: string | null;
  prompt: string;
  repo: string | null;
  installation_id: string | null;
  requested_by: string | null;
  runner: string | null;
  model: string | null;
  bot_id: string | null;
  delivery_id: string | null;
  context: Record<string, unknown>;
  attempts: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: string | number;
  result: Record<string, unknown>;
  error_code: string | null;
  error_message: string | null;
  created_at: Date;
  started_at: Date | null;
  heartbeat_at: Date | null;
  finished_at: Date | null;
  duration_ms: number | null;
}

export function priorityToNumber(priority: Priority): number {
  return Number(priority.slice(1));
}

export function toTask(row: TaskRow): Task {
  return {
    id: row.id,
    kind: row.kind as Task['kind'],
    status: row.status as Task['status'],
    priority: `P${row.priority}` as Priority,
    source: row.source as Task['source'],
    title: row.title,
    prompt: row.prompt,
    repo: row.repo,
    installationId: row.installation_id,
    requestedBy: row.requested_by,
    runner: row.runner as Task['runner'],
    model: row.model,
    botId: row.bot_id,
    deliveryId: row.delivery_id,
    context: row.context,
    attempts: row.attempts,
    inputTokens: Number(row.input_tokens),
    outputTokens: Number(row.output_tokens),
    costUsd: Number(row.cost_usd),
    result: row.result,
    errorCode: row.error_code,
    errorMessage: row.error_message,
    createdAt: row.created_at,
    startedAt: row.started_at,
    heartbeatAt: row.heartbeat_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
  };
}
