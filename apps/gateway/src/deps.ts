import type { BaseAdapter } from '@bull-board/api/baseAdapter';
import type {
  BotRepository,
  ChatMessageRepository,
  EventBus,
  JobQueue,
  SessionStore,
  TaskEventRepository,
  TaskRepository,
  WorkerRegistry,
} from '@agent-bot/contracts';
import type { HealthAggregator, Logger, Metrics } from '@agent-bot/observability';

export interface ReadinessProbe {
  /** Resolves with what is wrong; an empty list means ready. */
  problems(): Promise<string[]>;
}

/** Everything buildApp needs, already constructed by main.ts (or a test). */
export interface GatewayDeps {
  logger: Logger;
  metrics: Metrics;
  health: HealthAggregator;
  readiness: ReadinessProbe;
  tasks: TaskRepository;
  taskEvents: TaskEventRepository;
  queue: JobQueue;
  workers: WorkerRegistry;
  /** Bearer token for operator routes; admin routes answer 503 when it is not configured. */
  adminToken: string | undefined;
  publicUrl: string;
  sessions: SessionStore;
  /** Signs cookies that must not be forged (see cookie-secret.ts). */
  cookieSecret: Buffer;
  sessionTtlMs: number;
  bots: BotRepository;
  chat: ChatMessageRepository;
  /** Live events (Redis pub/sub): the WebSocket and SSE streams subscribe, the API publishes. */
  events: EventBus;
  /** A running bot without a heartbeat for this long shows as stale. */
  botStaleAfterMs: number;
  /** Requests per minute per client on /api routes. */
  apiRateLimitPerMinute: number;
  /** Browser origins besides publicUrl allowed for CORS and the WebSocket. */
  corsOrigins: string[];
  /** The built dashboard (index.html and assets); a 503 page is served when it is missing. */
  dashboardDir: string;
  /** How often the status board is recomputed for its viewers (stale bots need no event to turn stale). */
  boardIntervalMs?: number;
  /** Queue view adapters (@bull-board); the queue view is not mounted when absent. */
  queueBoard?: QueueBoardAdapters;
}

/** @bull-board adapters for the same queue: full actions for admins, read-only for everyone else. */
export interface QueueBoardAdapters {
  full: BaseAdapter;
  readOnly: BaseAdapter;
}
