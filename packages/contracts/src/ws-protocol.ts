import type { BotLiveStatus } from './bot.js';
import type { LiveEvent } from './live-event.js';
import type { QueueDepth } from './ports/job-queue.port.js';
import type { WorkerInfo } from './ports/worker-registry.port.js';

/**
 * Messages on the dashboard WebSocket (/api/ws), shared by the gateway and the browser. JSON, one
 * message per frame, discriminated on `type`.
 */
export type WsSubscription =
  /** A task's log and status; `after` is the last task_events id the client has. */
  | { channel: 'task'; id: string; after?: string }
  /** A bot's chat (messages and tokens) and status; `after` is the last chat message id the client has. */
  | { channel: 'bot'; id: string; after?: string }
  /** Status changes of every task (the tasks list). */
  | { channel: 'tasks' }
  /** The status board: bots, workers and queue depth, pushed when anything changes. */
  | { channel: 'board' };

export type WsClientMessage =
  | ({ type: 'subscribe' } & WsSubscription)
  | ({ type: 'unsubscribe' } & WsSubscription)
  | { type: 'ping' };

/** A bot as the REST API and the board show it (snake_case like every REST shape). */
export interface BoardBot {
  id: string;
  name: string;
  runner: string;
  model: string | null;
  system_prompt: string;
  state: 'running' | 'stopped';
  status: BotLiveStatus;
  /** UTC ISO time; the browser shows it in the viewer's local time. */
  last_heartbeat_at: string | null;
  created_at: string;
}

/** GET /api/bots and the `board` WebSocket message. */
export interface BoardSnapshot {
  bots: BoardBot[];
  workers: WorkerInfo[];
  /** Null when the queue could not be read (Redis down). */
  queue: QueueDepth | null;
  stale_after_seconds: number;
  at: string;
}

export type WsServerMessage =
  | { type: 'hello'; login: string }
  | { type: 'subscribed'; key: string }
  /** A live or replayed event; `key` names the subscription it belongs to (e.g. `bot:CLAUDE-CODE-001`). */
  | { type: 'event'; key: string; event: LiveEvent; replayed?: boolean }
  | { type: 'board'; board: BoardSnapshot }
  | { type: 'pong' }
  | { type: 'error'; code: string; message: string };
