import { randomBytes, randomUUID } from 'node:crypto';
import type { JobQueue, RepositoryPermissions } from '@agent-bot/contracts';
import {
  PostgresBotRepository,
  PostgresChatMessageRepository,
  PostgresDeliveryRepository,
  PostgresInstallationRepository,
  PostgresSessionStore,
  PostgresTaskEventRepository,
  PostgresTaskQueueLedger,
  PostgresTaskRepository,
  createSql,
} from '@agent-bot/db';
import { createHealthAggregator, createLogger, createMetrics } from '@agent-bot/observability';
import { BullMqJobQueue, type RedisClient, RedisEventBus, RedisWorkerRegistry, createRedis } from '@agent-bot/queue';
import { TEST_REDIS_URL, type TestDatabase, createTestDatabase, deleteRedisPrefix, uniqueRedisPrefix } from '@agent-bot/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import type { GatewayDeps } from '../deps.js';
import type { IngestionDeps } from '../ingestion-deps.js';
import { createIngestionContext } from '../use-cases/ingestion-context.js';
import { QueueHandoffs } from '../use-cases/queue-handoffs.js';
import { type InboxReconciler, createInboxReconciler } from '../use-cases/reconcile-inbox.js';
import { InMemoryRepositoryPermissions } from './in-memory-permissions.js';
import { githubSignature } from './sign.js';

export const TEST_SECRETS = {
  github: 'gh-secret-for-tests',
  slack: 'slack-secret-for-tests',
  sentry: 'sentry-secret-for-tests',
  jira: 'jira-secret-for-tests',
} as const;
export const TEST_ADMIN_TOKEN = 'admin-token-for-tests-0123456789';

export interface TestGateway {
  app: FastifyInstance;
  deps: GatewayDeps;
  db: TestDatabase;
  queue: BullMqJobQueue;
  redis: RedisClient;
  prefix: string;
  /** The same as `prefix`. */
  redisPrefix: string;
  ingestion: IngestionDeps;
  /** Queue hand-offs made after acknowledging a delivery: `await gw.handoffs.settled()` before looking at the queue. */
  handoffs: QueueHandoffs;
  reconciler: InboxReconciler;
  metrics: ReturnType<typeof createMetrics>;
  /** Jobs in the queue (any state), by id. */
  jobIds(): Promise<string[]>;
  close(): Promise<void>;
}

/**
 * A gateway on a fresh database and its own Redis prefix (or a Redis URL of the test's own), with
 * the real PostgreSQL repositories and BullMQ queue.
 */
export async function createTestGateway(
  options: {
    redisUrl?: string;
    permissions?: RepositoryPermissions;
    botHandle?: string;
    botLabel?: string;
    now?: () => number;
    onGitHubAuthorizationRevoked?: (githubUserId: string) => Promise<void>;
    db?: TestDatabase;
    /** Replaces any dependency buildApp receives (a function sees the test database and session store). */
    overrides?: Partial<GatewayDeps> | ((context: { db: TestDatabase; sessions: PostgresSessionStore }) => Partial<GatewayDeps>);
    /** Registers extra routes (e.g. a stand-in for another team's API) before the app is sealed. */
    beforeReady?: (app: FastifyInstance, deps: GatewayDeps, db: TestDatabase) => Promise<void>;
  } = {},
): Promise<TestGateway> {
  const db = options.db ?? (await createTestDatabase());
  const redisUrl = options.redisUrl ?? TEST_REDIS_URL;
  const redis = createRedis(redisUrl, 'producer');
  // The producer connection has no offline queue: wait until it is connected, as main.ts does.
  await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
  const prefix = uniqueRedisPrefix('ingest');
  const queue = new BullMqJobQueue({ connection: redis, prefix });
  const events = new RedisEventBus({ publisher: redis, subscriber: createRedis(redisUrl, 'subscriber'), prefix });
  const logger = createLogger({ name: 'gateway-test', level: 'silent' });
  const metrics = createMetrics({ collectProcessMetrics: false });
  const tasks = new PostgresTaskRepository(db.sql);
  // As in main.ts: a second pool without synchronous commit for the writes after the record.
  const relaxedSql = options.db ? undefined : createSql({ url: db.url, poolSize: 4, synchronousCommit: false });
  const handoffs = new QueueHandoffs((error) => logger.error({ err: error }, 'handing a task to the queue failed'));
  const ingestion: IngestionDeps = {
    deliveries: new PostgresDeliveryRepository(db.sql, { relaxedSql }),
    installations: new PostgresInstallationRepository(db.sql),
    taskLedger: new PostgresTaskQueueLedger(db.sql),
    permissions: options.permissions ?? new InMemoryRepositoryPermissions(),
    botHandle: options.botHandle ?? 'agent-bot',
    botLabel: options.botLabel ?? 'agent-bot',
    secrets: { ...TEST_SECRETS },
    now: options.now,
    onGitHubAuthorizationRevoked: options.onGitHubAuthorizationRevoked,
    handoffs,
  };
  const sessions = new PostgresSessionStore(db.sql);
  const overrides = typeof options.overrides === 'function' ? options.overrides({ db, sessions }) : options.overrides;
  const deps: GatewayDeps = {
    logger,
    metrics,
    health: createHealthAggregator({ version: 'test', checks: [] }),
    readiness: { problems: async () => [] },
    tasks,
    taskEvents: new PostgresTaskEventRepository(db.sql),
    queue: queue as JobQueue,
    workers: new RedisWorkerRegistry({ redis, prefix }),
    adminToken: TEST_ADMIN_TOKEN,
    publicUrl: 'http://localhost:8080',
    ingestion,
    sessions,
    cookieSecret: randomBytes(32),
    sessionTtlMs: 3600_000,
    bots: new PostgresBotRepository(db.sql),
    chat: new PostgresChatMessageRepository(db.sql),
    events,
    botStaleAfterMs: 300_000,
    apiRateLimitPerMinute: 1000,
    rateLimitStore: { redis, prefix },
    corsOrigins: [],
    // No build in unit tests: the gateway answers 503 for the dashboard pages.
    dashboardDir: '/nonexistent/agent-bot-dashboard',
    queueBoard: { full: queue.boardAdapter({ readOnly: false }), readOnly: queue.boardAdapter({ readOnly: true }) },
    ...overrides,
  };
  const app = await buildApp(deps);
  await options.beforeReady?.(app, deps, db);
  await app.ready();
  const context = createIngestionContext({ ingestion, tasks, queue, logger, metrics });
  const reconciler = createInboxReconciler({
    deliveries: ingestion.deliveries,
    taskLedger: ingestion.taskLedger,
    queue,
    logger,
    adapters: context.adapters,
    process: context.process,
  });
  return {
    app,
    deps,
    db,
    queue,
    redis,
    prefix,
    redisPrefix: prefix,
    ingestion,
    handoffs,
    reconciler,
    metrics,
    async jobIds() {
      const ids: string[] = [];
      let cursor = '0';
      do {
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}:agent-bot:*`, 'COUNT', 1000);
        cursor = next;
        for (const key of keys) {
          const id = key.slice(`${prefix}:agent-bot:`.length);
          if (/^[0-9a-f-]{36}$/.test(id)) ids.push(id);
        }
      } while (cursor !== '0');
      return ids.sort();
    },
    async close() {
      await app.close();
      await queue.close().catch(() => {});
      await events.close();
      if (!options.redisUrl) await deleteRedisPrefix(prefix).catch(() => {});
      redis.disconnect();
      await relaxedSql?.end({ timeout: 5 });
      if (!options.db) await db.drop();
    },
  };
}

/** Headers of a signed GitHub delivery. */
export function githubHeaders(event: string, body: string, deliveryId: string = randomUUID()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-github-event': event,
    'x-github-delivery': deliveryId,
    'x-hub-signature-256': githubSignature(TEST_SECRETS.github, body),
  };
}
