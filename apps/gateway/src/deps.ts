import type { BaseAdapter } from '@bull-board/api/baseAdapter';
import type {
  BotRepository,
  ChatMessageRepository,
  EventBus,
  GitHubAppCredentials,
  GitHubUserStore,
  JobQueue,
  OAuthStateStore,
  SecretRotation,
  SessionStore,
  TaskEventRepository,
  TaskRepository,
  WorkerRegistry,
} from '@agent-bot/contracts';
import type { TrustProxy } from '@agent-bot/config';
import type { RedisClient } from '@agent-bot/queue';
import type { GitHubAppSource } from '@agent-bot/github';
import type { HealthAggregator, Logger, Metrics } from '@agent-bot/observability';
import type { IngestionDeps } from './ingestion-deps.js';
import type { GitHubUserTokenService } from './use-cases/github/github-user-tokens.js';

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
  /** Webhook inbox, providers and triggers; without it /webhooks and /api/deliveries are not mounted. */
  ingestion?: IngestionDeps;
  /**
   * GitHub App setup, OAuth sign-in, user tokens and key rotation. Undefined without
   * ENCRYPTION_KEY (secrets could not be stored): those routes then answer 503.
   */
  github?: GitHubGatewayDeps | undefined;
  bots: BotRepository;
  chat: ChatMessageRepository;
  /** Live events (Redis pub/sub): the WebSocket and SSE streams subscribe, the API publishes. */
  events: EventBus;
  /** A running bot without a heartbeat for this long shows as stale. */
  botStaleAfterMs: number;
  /** Requests per minute per client on /api routes. */
  apiRateLimitPerMinute: number;
  /**
   * Where the rate limit counts (Redis, keys under `prefix`), so gateway replicas share one budget
   * per client; absent, each process counts alone. While Redis is down requests are not limited.
   */
  rateLimitStore?: { redis: RedisClient; prefix: string };
  /** Browser origins besides publicUrl allowed for CORS and the WebSocket. */
  corsOrigins: string[];
  /**
   * Fastify's trustProxy (TRUST_PROXY): which X-Forwarded-* headers make request.ip, and with it
   * the rate-limit key. false: the TCP peer is the client. Optional so tests default to false.
   */
  trustProxy?: TrustProxy;
  /** The built dashboard (index.html and assets); a 503 page is served when it is missing. */
  dashboardDir: string;
  /** How often the status board is recomputed for its viewers (stale bots need no event to turn stale). */
  boardIntervalMs?: number;
  /** Queue view adapters (@bull-board); the queue view is not mounted when absent. */
  queueBoard?: QueueBoardAdapters;
}

export interface GitHubGatewayDeps {
  /** GITHUB_API_URL. */
  apiUrl: string;
  /**
   * The app: environment first, else the manifest-created one. `app.adapters()` gives the
   * installation tokens, permissions and results ports; `app.webhookSecret()` the webhook secret
   * (both null/undefined until an app exists).
   */
  app: GitHubAppSource;
  users: GitHubUserStore;
  oauthStates: OAuthStateStore;
  /**
   * User tokens (refresh, revoke). The webhook handler calls `userTokens.revoke(String(sender.id))`
   * for a `github_app_authorization` event with action `revoked`.
   */
  userTokens: GitHubUserTokenService;
  secretRotation: SecretRotation;
  /** Trades a manifest-flow code for the new app's credentials. */
  convertManifest(code: string): Promise<GitHubAppCredentials>;
}

/** @bull-board adapters for the same queue: full actions for admins, read-only for everyone else. */
export interface QueueBoardAdapters {
  full: BaseAdapter;
  readOnly: BaseAdapter;
}
