import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { ConfigError, loadConfig } from '@agent-bot/config';
import {
  PostgresBotRepository,
  PostgresChatMessageRepository,
  PostgresTaskEventRepository,
  PostgresTaskRepository,
  assertDatabaseReachable,
  createSql,
  pingDatabase,
} from '@agent-bot/db';
import { createHealthAggregator, createLogger, createMetrics } from '@agent-bot/observability';
import { RedisEventBus, RedisWorkerRegistry, assertNoEviction, assertRedisReachable, createRedis } from '@agent-bot/queue';
import closeWithGrace from 'close-with-grace';
import { buildHealthServer } from './health-server.js';
import { NoopRunner } from './runners/noop-runner.js';
import { configuredRunners } from './runners/configured-runners.js';
import { startWorkerHeartbeat } from './worker-heartbeat.js';
import { startWorkerRuntime } from './worker-runtime.js';

async function main(): Promise<void> {
  const config = loadConfig();
  const workerId = `${hostname()}-${process.pid}-${randomBytes(3).toString('hex')}`;
  const logger = createLogger({ name: 'worker', level: config.server.logLevel, base: { workerId } });

  const sql = createSql({ url: config.database.url, poolSize: config.database.poolSize, applicationName: 'agent-bot-worker' });
  await assertDatabaseReachable(sql, config.database.url);
  const redis = createRedis(config.redis.url, 'consumer');
  await assertRedisReachable(redis, config.redis.url);
  await assertNoEviction(redis);
  const subscriber = createRedis(config.redis.url, 'subscriber');

  const metrics = createMetrics({ defaultLabels: { service: 'worker' } });
  const events = new RedisEventBus({ publisher: redis, subscriber, prefix: config.redis.prefix });
  const tasks = new PostgresTaskRepository(sql);
  const registry = new RedisWorkerRegistry({ redis, prefix: config.redis.prefix });

  const runtime = await startWorkerRuntime({
    workerId,
    connection: redis,
    prefix: config.redis.prefix,
    concurrency: config.worker.concurrency,
    lockDurationMs: config.worker.lockDurationMs,
    stalledIntervalMs: config.worker.stalledIntervalMs,
    tasks,
    taskEvents: new PostgresTaskEventRepository(sql),
    bots: new PostgresBotRepository(sql),
    chat: new PostgresChatMessageRepository(sql),
    events,
    logger,
    metrics,
    ...configuredRunners(config, new NoopRunner()),
    limits: { timeoutMs: config.worker.taskTimeoutMs, maxCostUsd: config.worker.taskMaxCostUsd },
    botHeartbeatIntervalMs: config.dashboard.botHeartbeatIntervalMs,
    botStaleAfterMs: config.dashboard.botStaleAfterMs,
  });
  const consumer = runtime.consumer;
  const heartbeat = startWorkerHeartbeat({ registry, consumer, id: workerId, concurrency: config.worker.concurrency });

  const health = createHealthAggregator({
    version: '0.1.0',
    checks: [
      { name: 'database', critical: true, run: async () => ({ schema_version: (await pingDatabase(sql)).schemaVersion }) },
      {
        name: 'redis',
        critical: true,
        run: async () => {
          await redis.ping();
          return { active_jobs: consumer.activeCount() };
        },
      },
    ],
  });
  const server = await buildHealthServer({ logger, metrics, health });

  // close-with-grace's own deadline sits above the drain deadline so draining is never cut short.
  closeWithGrace({ delay: config.worker.drainMs + 10_000 }, async ({ signal, err }) => {
    if (err) logger.error({ err }, 'shutting down after an error');
    logger.info({ signal, active: consumer.activeCount(), drainMs: config.worker.drainMs }, 'draining');
    const { drained } = await runtime.close(config.worker.drainMs);
    if (!drained) logger.warn('drain deadline passed; running jobs abandoned to another worker');
    await heartbeat.stop();
    await server.close();
    await events.close();
    redis.disconnect();
    await sql.end({ timeout: 5 });
    logger.info('worker stopped');
  });

  await server.listen({ port: config.server.workerPort, host: config.server.host });
  logger.info(
    { port: config.server.workerPort, concurrency: config.worker.concurrency },
    `worker ${workerId} taking jobs; health on :${config.server.workerPort}`,
  );
}

main().catch((error: unknown) => {
  if (error instanceof ConfigError || (error as { expected?: boolean }).expected !== undefined) {
    process.stderr.write(`agent-bot worker: ${(error as Error).message}\n`);
  } else {
    process.stderr.write(`agent-bot worker failed to start: ${(error as Error).stack ?? String(error)}\n`);
  }
  process.exit(1);
});
