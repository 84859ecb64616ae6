import { availableParallelism } from 'node:os';
import { join, resolve } from 'node:path';
import type { AppConfig } from '@agent-bot/config';
import type { AgentRunner, EventBus, TaskEventRepository, TaskRepository } from '@agent-bot/contracts';
import { PostgresInstallationSpend, PostgresRepositoryIndexStore, type Sql } from '@agent-bot/db';
import type { Logger, Metrics } from '@agent-bot/observability';
import { ClaudeCodeRunner, OllamaRunner } from '@agent-bot/runners';
import { ParsePool, RepositoryIndexer, WorkspaceManager } from '@agent-bot/workspace';
import { buildReplyChannels } from './build-reply-channels.js';
import type { TaskRunProcessorDeps } from './processors/task-run.processor.js';
import type { WorkerGitHubPorts } from './resolve-github.js';
import { NoopRunner } from './runners/noop-runner.js';
import { createRunnerResolver } from './runners/resolve-runner.js';

/**
 * The runners this worker has configured. A task naming none gets DEFAULT_RUNNER, else Claude Code,
 * else Ollama; with neither configured it fails saying what to set. `noop` is always there for
 * smoke tests and benchmarks (it changes nothing).
 */
export function buildRunners(config: AppConfig): { runners: Record<string, AgentRunner>; defaultRunner: string | undefined } {
  const runners: Record<string, AgentRunner> = { noop: new NoopRunner() };
  const { claude, ollama } = config.agents;
  if (claude) {
    runners['claude-code'] = new ClaudeCodeRunner({
      command: claude.bin,
      apiKey: claude.apiKey,
      baseUrl: claude.baseUrl,
      model: claude.model,
      allowedTools: claude.allowedTools,
      maxTurns: claude.maxTurns,
      runsDir: join(resolve(config.worker.workspaceDir), 'runs'),
      isolate: claude.pidNamespace,
    });
  }
  if (ollama) runners.ollama = new OllamaRunner({ url: ollama.url, model: ollama.model, maxTurns: claude?.maxTurns ?? 30 });
  const defaultRunner = config.agents.defaultRunner ?? (claude ? 'claude-code' : ollama ? 'ollama' : undefined);
  return { runners, defaultRunner };
}

export function buildPipelineDeps(input: {
  config: AppConfig;
  sql: Sql;
  tasks: TaskRepository;
  taskEvents: TaskEventRepository;
  events: EventBus;
  logger: Logger;
  metrics: Metrics;
  /**
   * The GitHub App's installation ports (see resolve-github.ts): as found at start (for the log
   * line) and the resolver each task asks, so an app created at /setup later is picked up.
   */
  github: { atStart: WorkerGitHubPorts | undefined; resolve?: () => Promise<WorkerGitHubPorts | undefined> };
  /** The runners this worker offers (buildRunners in production; tests hand in their own). */
  runners: { runners: Record<string, AgentRunner>; defaultRunner: string | undefined };
}): TaskRunProcessorDeps {
  const { config, sql } = input;
  const { runners, defaultRunner } = input.runners;
  const github = input.github.atStart;
  if (!github) {
    input.logger.warn(
      'no GitHub App yet (GITHUB_APP_ID/GITHUB_PRIVATE_KEY or /setup): results stay in the dashboard until one exists',
    );
  }
  const toPipeline = (ports: WorkerGitHubPorts | undefined) =>
    ports ? { results: ports.results, tokens: ports.installationTokens } : undefined;
  const resolveGitHub = input.github.resolve;
  const replies = buildReplyChannels(config.replies);
  input.logger.info(
    { channels: Object.keys(replies.channels), slackThreads: config.replies.slack.botToken !== undefined },
    'reply channels for Slack, Jira and Sentry tasks',
  );
  for (const [provider, missing] of Object.entries(replies.missing))
    input.logger.info(`no ${provider} reply channel: ${missing}`);
  return {
    tasks: input.tasks,
    taskEvents: input.taskEvents,
    events: input.events,
    logger: input.logger,
    metrics: input.metrics,
    resolveRunner: createRunnerResolver(runners, defaultRunner),
    limits: {
      timeoutMs: config.worker.taskTimeoutMs,
      maxCostUsd: config.worker.taskMaxCostUsd,
      maxTokens: config.agents.maxTokens,
    },
    workspaces: new WorkspaceManager({
      rootDir: config.worker.workspaceDir,
      remoteBaseUrl: config.agents.gitBaseUrl,
      maxRepoBytes: config.agents.maxRepoBytes,
      maxFiles: config.agents.maxFiles,
    }),
    // Cold indexes of large repositories parse on every core; small re-indexes stay in-thread.
    indexer: new RepositoryIndexer({
      store: new PostgresRepositoryIndexStore(sql),
      pool: new ParsePool(Math.max(1, Math.min(availableParallelism(), 4))),
    }),
    repoMapTokens: config.agents.repoMapTokens,
    github: toPipeline(github),
    resolveGitHub: resolveGitHub ? async () => toPipeline(await resolveGitHub()) : undefined,
    monthlyBudget: { spend: new PostgresInstallationSpend(sql), limitUsd: config.agents.installationMonthlyBudgetUsd },
    publicUrl: config.server.publicUrl,
    pullRequestDraft: config.agents.pullRequestDraft,
    replies: replies.channels,
    repliesMissing: replies.missing,
  };
}
