import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '@agent-bot/config';
import {
  PostgresBotRepository,
  PostgresChatMessageRepository,
  PostgresSessionStore,
  PostgresTaskEventRepository,
  PostgresTaskRepository,
  assertDatabaseReachable,
  createSql,
  currentSchemaVersion,
  expectedSchemaVersion,
  pingDatabase,
} from '@agent-bot/db';
import { createHealthAggregator, createLogger, createMetrics, registerScrapeGauge } from '@agent-bot/observability';
import {
  BullMqJobQueue,
  RedisEventBus,
  RedisWorkerRegistry,
  assertNoEviction,
  assertRedisReachable,
  createRedis,
} from '@agent-bot/queue';
import closeWithGrace from 'close-with-grace';
import { buildApp } from './app.js';
import { deriveCookieSecret } from './cookie-secret.js';
import { gatewayHealthChecks } from './health-checks.js';
import { createReadinessProbe } from './readiness.js';

const version = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version;

async function main(): Promise<void> {
  const config = loadConfig();
  const logger = createLogger({ name: 'gateway', level: config.server.logLevel });

  const sql = createSql({ url: config.database.url, poolSize: config.database.poolSize, applicationName: 'agent-bot-gateway' });
  await assertDatabaseReachable(sql, config.database.url);
  const redis = createRedis(config.redis.url, 'producer');
  await assertRedisReachable(redis, config.redis.url);
  await assertNoEviction(redis);

  const metrics = createMetrics({ defaultLabels: { service: 'gateway' } });
  const queue = new BullMqJobQueue({ connection: redis, prefix: config.redis.prefix });
  const workers = new RedisWorkerRegistry({ redis, prefix: config.redis.prefix });
  const events = new RedisEventBus({
    publisher: redis,
    subscriber: createRedis(config.redis.url, 'subscriber'),
    prefix: config.redis.prefix,
  });
  registerScrapeGauge(metrics.registry, {
    name: 'agentbot_queue_jobs',
    help: 'Jobs in the task queue by state, read at scrape time.',
    labelNames: ['state'],
    read: async () => Object.entries(await queue.depth()).map(([state, value]) => ({ labels: { state }, value })),
  });

  const app = await buildApp({
    logger,
    metrics,
    health: createHealthAggregator({
      version,
      checks: gatewayHealthChecks({ pingDatabase: () => pingDatabase(sql), queue, workers }),
    }),
    readiness: createReadinessProbe({
      databaseSchemaVersion: () => currentSchemaVersion(sql),
      expectedSchemaVersion: await expectedSchemaVersion(),
      queue,
    }),
    tasks: new PostgresTaskRepository(sql),
    taskEvents: new PostgresTaskEventRepository(sql),
    queue,
    workers,
    adminToken: config.security.adminToken,
    publicUrl: config.server.publicUrl,
    sessions: new PostgresSessionStore(sql),
    cookieSecret: deriveCookieSecret(config.security.encryptionKey),
    sessionTtlMs: config.security.sessionTtlMs,
    bots: new PostgresBotRepository(sql),
    chat: new PostgresChatMessageRepository(sql),
    events,
    botStaleAfterMs: config.dashboard.botStaleAfterMs,
    apiRateLimitPerMinute: config.dashboard.apiRateLimitPerMinute,
    corsOrigins: config.dashboard.corsOrigins,
    dashboardDir: config.dashboard.dashboardDir ?? fileURLToPath(new URL('../../dashboard/dist', import.meta.url)),
    queueBoard: { full: queue.boardAdapter({ readOnly: false }), readOnly: queue.boardAdapter({ readOnly: true }) },
  });

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await app.close();
    await queue.close();
    await events.close();
    redis.disconnect();
    await sql.end({ timeout: 5 });
  });

  await app.listen({ port: config.server.port, host: config.server.host });
  logger.info(
    { url: `http://${config.server.host}:${config.server.port}`, publicUrl: config.server.publicUrl, version },
    'gateway listening',
  );
}

main().catch((error: unknown) => {
  // Startup failures are for a human reading a terminal: print the message, not a stack.
  if (error instanceof ConfigError || (error as { expected?: boolean }).expected !== undefined) {
    process.stderr.write(`agent-bot gateway: ${(error as Error).message}\n`);
  } else {
    process.stderr.write(`agent-bot gateway failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
