import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import type { AppConfig } from '@agent-bot/config';
import type { AgentRunner } from '@agent-bot/contracts';
import {
  PostgresBotRepository,
  PostgresChatMessageRepository,
  PostgresStalledTasks,
  PostgresTaskEventRepository,
  PostgresTaskRepository,
  assertDatabaseReachable,
  createSql,
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
import { buildPipelineDeps } from './build-pipeline-deps.js';
import { buildHealthServer } from './health-server.js';
import { createEndingSweep } from './pipeline/ending-sweep.js';
import { startStallDetector } from './pipeline/stall-detector.js';
import { TaskReporter } from './pipeline/task-reporter.js';
import { workerGitHub } from './resolve-github.js';
import { startWorkerHeartbeat } from './worker-heartbeat.js';
import { startWorkerRuntime } from './worker-runtime.js';

export interface WorkerProcessOptions {
  /** The agent runners this worker offers, by name; main.ts builds them from the configuration. */
  runners: Record<string, AgentRunner>;
  /** Used for tasks that name no runner. */
  defaultRunner: string | undefined;
}

/**
 * The worker's whole life: connect, take jobs, serve health and metrics, and on SIGTERM/SIGINT
 * stop taking jobs, drain (or abandon past WORKER_DRAIN_SECONDS), then close every connection.
 */
export async function runWorkerProcess(config: AppConfig, options: WorkerProcessOptions): Promise<void> {
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
  const taskEvents = new PostgresTaskEventRepository(sql);
  const github = workerGitHub(config, sql, logger);
  const pipeline = buildPipelineDeps({
    config,
    sql,
    tasks,
    taskEvents,
    events,
    logger,
    metrics,
    github: { atStart: await github(), resolve: github },
    runners: options,
  });

  // Task and chat processors and the heartbeats of the bots this worker serves.
  const runtime = await startWorkerRuntime({
    workerId,
    connection: redis,
    prefix: config.redis.prefix,
    concurrency: config.worker.concurrency,
    lockDurationMs: config.worker.lockDurationMs,
    stalledIntervalMs: config.worker.stalledIntervalMs,
    tasks,
    taskEvents,
    bots: new PostgresBotRepository(sql),
    chat: new PostgresChatMessageRepository(sql),
    events,
    logger,
    metrics,
    runners: options.runners,
    defaultRunner: options.defaultRunner,
    limits: pipeline.limits,
    taskRun: pipeline,
    onStalled: (jobId) => {
      metrics.jobsStalledTotal.inc();
      logger.warn({ jobId }, 'job stalled (its worker died or hung); handed to another worker');
    },
    botHeartbeatIntervalMs: config.dashboard.botHeartbeatIntervalMs,
    botStaleAfterMs: config.dashboard.botStaleAfterMs,
  });
  const consumer = runtime.consumer;
  // Marks tasks whose heartbeat stopped (a hung agent, a lost worker) as stalled, so no comment
  // says "working" forever.
  // A producer connection: while Redis is down the detector's question fails fast (and the task
  // counts as still pending) instead of waiting for Redis to return.
  const jobsRedis = createRedis(config.redis.url, 'producer');
  const jobs = new BullMqJobQueue({ connection: jobsRedis, prefix: config.redis.prefix });
  const results = async () => (await github())?.results;
  // Settled tasks whose worker stopped before telling anyone: their comment is written from the
  // row once TASK_STALL_SECONDS have passed since the settle (the same patience as for a heartbeat).
  const endings = createEndingSweep({
    tasks,
    taskEvents,
    events,
    results,
    replies: pipeline,
    logger,
    metrics,
    publicUrl: config.server.publicUrl,
    graceMs: config.agents.stallMs,
    stallThresholdMs: config.agents.stallMs,
  });
  const stallDetector = startStallDetector({
    stalled: new PostgresStalledTasks(sql),
    tasks,
    endings,
    jobs,
    results,
    logger,
    publicUrl: config.server.publicUrl,
    thresholdMs: config.agents.stallMs,
    // The task's log and its page learn of it like of any other ending.
    onStalled: async (task) => {
      const reporter = new TaskReporter({ taskEvents, events, logger }, task.id);
      const message = task.errorMessage ?? 'stalled';
      await reporter.log('stalled', message, { code: 'TASK_STALLED' });
      await reporter.status('failed', message);
    },
  });
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
    if (!drained) logger.warn('drain deadline passed; running jobs handed back to the queue for another worker');
    stallDetector.stop();
    await jobs.close();
    jobsRedis.disconnect();
    await heartbeat.stop();
    await server.close();
    await events.close();
    redis.disconnect();
    await sql.end({ timeout: 5 });
    logger.info({ drained }, 'worker stopped');
  });

  await server.listen({ port: config.server.workerPort, host: config.server.host });
  logger.info(
    { port: config.server.workerPort, concurrency: config.worker.concurrency },
    `worker ${workerId} taking jobs; health on :${config.server.workerPort}`,
  );
}
