import { randomBytes } from 'node:crypto';
import {
  PostgresBotRepository,
  PostgresChatMessageRepository,
  PostgresSessionStore,
  PostgresTaskEventRepository,
  PostgresTaskRepository,
} from '@agent-bot/db';
import { createHealthAggregator, createLogger, createMetrics } from '@agent-bot/observability';
import { BullMqJobQueue, RedisEventBus, RedisWorkerRegistry, assertRedisReachable, createRedis } from '@agent-bot/queue';
import { TEST_REDIS_URL, createTestDatabase, deleteRedisPrefix, type TestDatabase, uniqueRedisPrefix } from '@agent-bot/testing';
import type { FastifyInstance } from 'fastify';
import { buildApp } from '../app.js';
import type { GatewayDeps } from '../deps.js';

export const TEST_ADMIN_TOKEN = 'test-admin-token-0123456789abcdef';

export interface TestGateway {
  app: FastifyInstance;
  deps: GatewayDeps;
  db: TestDatabase;
  redisPrefix: string;
  close(): Promise<void>;
}

/** A gateway on the real PostgreSQL and Redis, in its own database and key prefix. */
export async function createTestGateway(
  overrides: Partial<GatewayDeps> = {},
  /** Registers extra routes (e.g. a stand-in for another team's API) before the app is sealed. */
  options: { beforeReady?: (app: FastifyInstance, deps: GatewayDeps, db: TestDatabase) => Promise<void> } = {},
): Promise<TestGateway> {
  const db = await createTestDatabase();
  const redisPrefix = uniqueRedisPrefix('gw');
  const redis = createRedis(TEST_REDIS_URL, 'producer');
  // The producer connection fails fast instead of queueing commands: wait until it is connected.
  await assertRedisReachable(redis, TEST_REDIS_URL);
  const queue = new BullMqJobQueue({ connection: redis, prefix: redisPrefix });
  const workers = new RedisWorkerRegistry({ redis, prefix: redisPrefix });
  const events = new RedisEventBus({
    publisher: redis,
    subscriber: createRedis(TEST_REDIS_URL, 'subscriber'),
    prefix: redisPrefix,
  });
  const deps: GatewayDeps = {
    logger: createLogger({ name: 'gateway-test', level: 'silent' }),
    metrics: createMetrics({ collectProcessMetrics: false }),
    health: createHealthAggregator({ version: 'test', checks: [] }),
    readiness: { problems: async () => [] },
    tasks: new PostgresTaskRepository(db.sql),
    taskEvents: new PostgresTaskEventRepository(db.sql),
    queue,
    workers,
    adminToken: TEST_ADMIN_TOKEN,
    publicUrl: 'http://localhost:8080',
    sessions: new PostgresSessionStore(db.sql),
    cookieSecret: randomBytes(32),
    sessionTtlMs: 3600_000,
    bots: new PostgresBotRepository(db.sql),
    chat: new PostgresChatMessageRepository(db.sql),
    events,
    botStaleAfterMs: 300_000,
    apiRateLimitPerMinute: 1000,
    corsOrigins: [],
    // No build in unit tests: the gateway answers 503 for the dashboard pages.
    dashboardDir: '/nonexistent/agent-bot-dashboard',
    queueBoard: { full: queue.boardAdapter({ readOnly: false }), readOnly: queue.boardAdapter({ readOnly: true }) },
    ...overrides,
  };
  const app = await buildApp(deps);
  await options.beforeReady?.(app, deps, db);
  await app.ready();
  return {
    app,
    deps,
    db,
    redisPrefix,
    async close() {
      await app.close();
      await queue.close();
      await events.close();
      redis.disconnect();
      await deleteRedisPrefix(redisPrefix);
      await db.drop();
    },
  };
}
