import type { AgentRunner } from '@agent-bot/contracts';
import {
  PostgresInstallationSpend,
  PostgresRepositoryIndexStore,
  PostgresTaskEventRepository,
  PostgresTaskRepository,
  type Sql,
} from '@agent-bot/db';
import { createGitHubAdapters } from '@agent-bot/github';
import { createLogger, createMetrics } from '@agent-bot/observability';
import { BullMqJobConsumer, RedisEventBus, createRedis } from '@agent-bot/queue';
import { RepositoryIndexer, WorkspaceManager } from '@agent-bot/workspace';
import { startTaskCancellations } from '../pipeline/task-cancellations.js';
import { type TaskRunProcessorDeps, createTaskRunProcessor } from '../processors/task-run.processor.js';
import { createRunnerResolver } from '../runners/resolve-runner.js';

export interface TestWorkerParams {
  sql: Sql;
  redisUrl: string;
  prefix: string;
  gitBaseUrl: string;
  workspaceDir: string;
  publicUrl: string;
  github: { apiUrl: string; appId: string; privateKey: string; clientId: string; clientSecret: string };
  lockDurationMs: number;
  runners: Record<string, AgentRunner>;
  defaultRunner?: string;
  overrides?: Partial<TaskRunProcessorDeps>;
}

/** A worker wired like main.ts, but with test runners and stand-in endpoints; returns its stop. */
export async function startTestWorker(params: TestWorkerParams): Promise<() => Promise<void>> {
  const logger = createLogger({ name: 'e2e', level: 'silent' });
  const connection = createRedis(params.redisUrl, 'consumer');
  const publisher = await ready(createRedis(params.redisUrl, 'producer'));
  const subscriber = createRedis(params.redisUrl, 'subscriber');
  const github = createGitHubAdapters({ ...params.github, baseUrl: params.github.apiUrl, logger });
  const events = new RedisEventBus({ publisher, subscriber, prefix: params.prefix });
  const deps: TaskRunProcessorDeps = {
    tasks: new PostgresTaskRepository(params.sql),
    taskEvents: new PostgresTaskEventRepository(params.sql),
    events,
    cancellations: await startTaskCancellations({ events, logger }),
    logger,
    metrics: createMetrics(),
    resolveRunner: createRunnerResolver(params.runners, params.defaultRunner),
    limits: { timeoutMs: 60_000, maxCostUsd: 5, maxTokens: 1_000_000 },
    heartbeatIntervalMs: 500,
    workspaces: new WorkspaceManager({
      rootDir: params.workspaceDir,
      remoteBaseUrl: params.gitBaseUrl,
      maxRepoBytes: 1e9,
      maxFiles: 10_000,
    }),
    indexer: new RepositoryIndexer({ store: new PostgresRepositoryIndexStore(params.sql) }),
    github: { results: github.results, tokens: github.installationTokens },
    monthlyBudget: { spend: new PostgresInstallationSpend(params.sql), limitUsd: 0 },
    publicUrl: params.publicUrl,
    commentThrottleMs: 200,
    ...params.overrides,
  };
  const consumer = new BullMqJobConsumer({
    connection,
    prefix: params.prefix,
    concurrency: 2,
    lockDurationMs: params.lockDurationMs,
    stalledIntervalMs: Math.min(params.lockDurationMs, 5_000),
    handlers: {
      'task.run': createTaskRunProcessor(deps),
      'chat.reply': async () => {
        throw new Error('chat.reply is not served by the pipeline test worker');
      },
    },
  });
  await consumer.ready();
  return async () => {
    await consumer.close(5_000);
    await deps.cancellations?.close();
    await deps.events.close();
    connection.disconnect();
    publisher.disconnect();
    subscriber.disconnect();
  };
}

/** Producer connections fail fast instead of queueing commands: wait until they are connected. */
export async function ready<T extends { status: string; once(event: 'ready', listener: () => void): unknown }>(
  client: T,
): Promise<T> {
  if (client.status !== 'ready') await new Promise<void>((resolve) => client.once('ready', resolve));
  return client;
}
