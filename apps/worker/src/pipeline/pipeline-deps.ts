import type {
  AgentRunner,
  CodeSearchHit,
  EventBus,
  GitHubResults,
  InstallationSpend,
  InstallationTokens,
  Provider,
  ReplyChannel,
  TaskEventRepository,
  TaskRepository,
  Workspaces,
} from '@agent-bot/contracts';
import type { Logger, Metrics } from '@agent-bot/observability';
import type { TaskCancellations } from './task-cancellations.js';

/** The index of one commit, as far as the pipeline needs it. */
export interface RepositoryIndexView {
  repoMap(options: { budgetTokens: number; query?: string }): string;
  search(query: string, limit?: number): CodeSearchHit[];
}

export interface Indexer {
  index(input: { repo: string; commit: string; dir: string }): Promise<{
    index: RepositoryIndexView;
    stats: { files: number; parsed: number; reused: number; durationMs: number };
  }>;
}

export interface RunTaskDeps {
  tasks: TaskRepository;
  taskEvents: TaskEventRepository;
  events: EventBus;
  logger: Logger;
  metrics: Metrics;
  /** Picks the runner for a task; throws RUNNER_UNAVAILABLE with what to configure. */
  resolveRunner: (runnerName: string | null) => AgentRunner;
  limits: { timeoutMs: number; maxCostUsd: number; maxTokens?: number; maxTurns?: number };
  heartbeatIntervalMs?: number;
  /** Least time between two writes of a running agent's usage so far (RunningUsage); default 1 s. */
  usageWriteIntervalMs?: number;
  /** Repository checkout; tasks without a repository (or without this) run with no working directory. */
  workspaces?: Workspaces;
  indexer?: Indexer;
  repoMapTokens?: number;
  /** Posting back to GitHub; absent, results stay in the dashboard only. */
  github?: { results: GitHubResults; tokens: InstallationTokens };
  /** Monthly budget per installation (0 or absent: none). */
  monthlyBudget?: { spend: InstallationSpend; limitUsd: number };
  /** PUBLIC_URL, for links to the task in the dashboard. */
  publicUrl?: string;
  pullRequestDraft?: boolean;
  commentThrottleMs?: number;
  commitAuthor?: { name: string; email: string };
  /** Cancel requests for running tasks (absent: a cancel only takes effect at the next heartbeat). */
  cancellations?: TaskCancellations;
  /** Final answers for tasks from other providers (Slack, Jira, Sentry), by task source. */
  replies?: Partial<Record<Provider, ReplyChannel>>;
  /** Why a provider has no reply channel here: what to set. Logged on each of its tasks. */
  repliesMissing?: Partial<Record<Provider, string>>;
}
