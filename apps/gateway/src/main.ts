import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { ConfigError, loadConfig } from '@agent-bot/config';
import {
  PostgresBotRepository,
  PostgresChatMessageRepository,
  PostgresSessionStore,
  PostgresDeliveryRepository,
  PostgresInstallationRepository,
  PostgresTaskEventRepository,
  PostgresTaskQueueLedger,
  PostgresTaskRepository,
  assertDatabaseReachable,
  createSql,
  currentSchemaVersion,
  expectedSchemaVersion,
  pingDatabase,
} from '@agent-bot/db';
import { createHealthAggregator, createLogger, createMetrics } from '@agent-bot/observability';
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
import { createGitHubGatewayDeps } from './github-deps.js';
import { gatewayHealthChecks } from './health-checks.js';
import { registerDeploymentMetrics } from './deployment-metrics.js';
import type { IngestionDeps } from './ingestion-deps.js';
import { AppRepositoryPermissions } from './providers/github/app-repository-permissions.js';
import { UnconfiguredRepositoryPermissions } from './providers/github/unconfigured-permissions.js';
import { createReadinessProbe } from './readiness.js';
import { createIngestionContext } from './use-cases/ingestion-context.js';
import { createInboxReconciler } from './use-cases/reconcile-inbox.js';

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
  registerDeploymentMetrics(metrics, queue, workers);
  const events = new RedisEventBus({
    publisher: redis,
    subscriber: createRedis(config.redis.url, 'subscriber'),
    prefix: config.redis.prefix,
  });

  const sessions = new PostgresSessionStore(sql);
  // Secrets at rest need ENCRYPTION_KEY; without it the GitHub routes explain what is missing.
  const github = config.security.encryptionKey
    ? createGitHubGatewayDeps({
        sql,
        encryptionKey: config.security.encryptionKey,
        previousEncryptionKeys: config.security.previousEncryptionKeys.map((entry) => entry.key),
        apiUrl: config.github.apiUrl,
        appFromEnvironment: config.github.app,
        sessions,
        logger,
      })
    : undefined;
  if (!github) logger.warn('ENCRYPTION_KEY is not set: GitHub App setup and sign-in are disabled');

  // Writes after a delivery is recorded may skip the WAL flush: the reconciler redoes any it loses.
  const relaxedSql = createSql({
    url: config.database.url,
    poolSize: config.database.poolSize,
    applicationName: 'agent-bot-gateway-relaxed',
    synchronousCommit: false,
  });
  const tasks = new PostgresTaskRepository(sql);
  const ingestion: IngestionDeps = {
    deliveries: new PostgresDeliveryRepository(sql, { relaxedSql }),
    installations: new PostgresInstallationRepository(sql),
    taskLedger: new PostgresTaskQueueLedger(sql),
    // Without a GitHub App, authors whose author_association is not decisive are refused
    // ("permission unknown: GitHub App not configured").
    permissions: github ? new AppRepositoryPermissions(() => github.app.adapters()) : new UnconfiguredRepositoryPermissions(),
    botHandle: config.webhooks.botHandle,
    botLabel: config.webhooks.botLabel,
    // GITHUB_WEBHOOK_SECRET wins; otherwise the secret of the app created through /setup.
    secrets: {
      ...config.webhooks.secrets,
      github: config.webhooks.secrets.github ?? (github ? () => github.app.webhookSecret() : undefined),
    },
    onGitHubAuthorizationRevoked: github
      ? async (userId) => {
          await github.userTokens.revoke(userId);
        }
      : undefined,
  };

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
    tasks,
    taskEvents: new PostgresTaskEventRepository(sql),
    queue,
    workers,
    adminToken: config.security.adminToken,
    publicUrl: config.server.publicUrl,
    sessions,
    cookieSecret: deriveCookieSecret(config.security.encryptionKey),
    sessionTtlMs: config.security.sessionTtlMs,
    ingestion,
    github,
    bots: new PostgresBotRepository(sql),
    chat: new PostgresChatMessageRepository(sql),
    events,
    botStaleAfterMs: config.dashboard.botStaleAfterMs,
    apiRateLimitPerMinute: config.dashboard.apiRateLimitPerMinute,
    rateLimitStore: { redis, prefix: config.redis.prefix },
    corsOrigins: config.dashboard.corsOrigins,
    trustProxy: config.proxy.trustProxy,
    dashboardDir: config.dashboard.dashboardDir ?? fileURLToPath(new URL('../../dashboard/dist', import.meta.url)),
    queueBoard: { full: queue.boardAdapter({ readOnly: false }), readOnly: queue.boardAdapter({ readOnly: true }) },
  });

  // Queues deliveries and tasks stored while Redis was unreachable, once it is back.
  const ingestionContext = createIngestionContext({ ingestion, tasks, queue, logger, metrics });
  const stopReconciler = createInboxReconciler({
    deliveries: ingestion.deliveries,
    taskLedger: ingestion.taskLedger,
    queue,
    logger,
    adapters: ingestionContext.adapters,
    process: ingestionContext.process,
  }).start(config.webhooks.reconcileIntervalMs);

  closeWithGrace({ delay: 10_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    else logger.info({ signal }, 'shutting down');
    await app.close();
    await stopReconciler();
    await queue.close();
    await events.close();
    redis.disconnect();
    await relaxedSql.end({ timeout: 5 });
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
