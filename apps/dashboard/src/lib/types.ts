// REST shapes of the gateway (snake_case). WebSocket messages come typed from @agent-bot/contracts.
export type { BoardBot, BoardSnapshot, LiveEvent, WsClientMessage, WsServerMessage, WsSubscription } from '@agent-bot/contracts';

export interface Principal {
  kind: 'admin' | 'user';
  id: string;
  login: string;
}

/** GET /api/session/methods: what the sign-in page may offer. */
export interface SignInMethods {
  adminToken: { available: boolean };
  github: { available: boolean; hint: string | null; setupUrl: string | null };
}

export interface ChatMessageView {
  id: string;
  bot_id: string;
  role: 'user' | 'assistant' | 'system' | 'error';
  content: string;
  author: string | null;
  created_at: string;
}

export interface TaskView {
  id: string;
  kind: string;
  status: 'queued' | 'running' | 'succeeded' | 'failed' | 'cancelled';
  priority: string;
  source: string;
  title: string | null;
  prompt: string;
  repo: string | null;
  runner: string | null;
  model: string | null;
  bot_id: string | null;
  attempts: number;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  result: { commentUrl?: string; pullRequestUrl?: string; branch?: string; summary?: string };
  error_code: string | null;
  error_message: string | null;
  created_at: string;
  started_at: string | null;
  finished_at: string | null;
  duration_ms: number | null;
  /** When the worker started publishing the result (push, pull request, replies): no cancel after it. */
  publishing_at: string | null;
}

/** One run of a task (`runs` in GET /api/tasks/:id): what that execution of an attempt spent. */
export interface TaskRunView {
  attempt: number;
  /** Null for a run recorded before runs had ids. */
  run_id: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  first_recorded_at: string;
  recorded_at: string;
}

export interface TaskEventView {
  id: string;
  kind: string;
  message: string;
  created_at: string;
}

/** GET /api/deliveries (built by the ingestion work). */
export interface DeliveryView {
  id: string;
  provider: string;
  delivery_id: string;
  event: string;
  action: string | null;
  status: 'received' | 'enqueued' | 'ignored' | 'failed';
  reason: string | null;
  task_id: string | null;
  received_at: string;
  headers?: Record<string, string>;
  body?: string;
  payload?: unknown;
}
