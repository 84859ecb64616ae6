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
  publishing_at: Date | null;
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
    publishingAt: row.publishing_at,
    finishedAt: row.finished_at,
    durationMs: row.duration_ms,
  };
}

/** The columns a caller sets when inserting a task; the rest take their defaults. */
export type NewTaskColumns = Pick<
  TaskRow,
  | 'id'
  | 'kind'
  | 'priority'
  | 'source'
  | 'title'
  | 'prompt'
  | 'repo'
  | 'installation_id'
  | 'requested_by'
  | 'runner'
  | 'model'
  | 'bot_id'
  | 'delivery_id'
  | 'context'
>;

/**
 * The row PostgreSQL holds right after inserting `columns`: the table's defaults (migration 0001)
 * for the rest. Lets a bulk insert return only `created_at` instead of reading every row back; a
 * test compares it with the stored row so a changed default cannot drift unnoticed.
 */
export function insertedTaskRow(columns: NewTaskColumns, createdAt: Date): TaskRow {
  return {
    ...columns,
    status: 'queued',
    attempts: 0,
    input_tokens: 0,
    output_tokens: 0,
    cost_usd: 0,
    result: {},
    error_code: null,
    error_message: null,
    created_at: createdAt,
    started_at: null,
    heartbeat_at: null,
    finished_at: null,
    publishing_at: null,
    duration_ms: null,
  };
}
