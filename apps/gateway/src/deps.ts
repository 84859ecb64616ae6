import type { JobQueue, SessionStore, TaskEventRepository, TaskRepository, WorkerRegistry } from '@agent-bot/contracts';
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
}
