import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentRunner, ParsedTaskRequest, Task } from '@agent-bot/contracts';
import {
  PostgresInstallationSpend,
  PostgresRepositoryIndexStore,
  PostgresTaskEventRepository,
  PostgresTaskRepository,
} from '@agent-bot/db';
import { createGitHubAdapters } from '@agent-bot/github';
import { createLogger, createMetrics } from '@agent-bot/observability';
import { BullMqJobConsumer, BullMqJobQueue, RedisEventBus, createRedis } from '@agent-bot/queue';
import {
  type GitHubStandIn,
  type LocalGitRemote,
  TEST_REDIS_URL,
  type TestDatabase,
  createLocalGitRemote,
  createTestDatabase,
  deleteRedisPrefix,
  startGitHubStandIn,
  uniqueRedisPrefix,
  waitFor,
} from '@agent-bot/testing';
import { RepositoryIndexer, WorkspaceManager } from '@agent-bot/workspace';
import type { RunTaskDeps } from '../pipeline/pipeline-deps.js';
import { createTaskRunProcessor } from '../processors/task-run.processor.js';
import { createRunnerResolver } from '../runners/resolve-runner.js';

export const REPO = 'octo-org/widgets';
export const PUBLIC_URL = 'https://agent-bot.example.test';

export interface Harness {
  db: TestDatabase;
  gh: GitHubStandIn;
  remote: LocalGitRemote;
  installationId: string;
  app: { id: number; privateKey: string; clientId: string; clientSecret: string };
  workspaceDir: string;
  runsDir: string;
  prefix: string;
  tasks: PostgresTaskRepository;
  /** Starts an in-process consumer with these runners; returns a stop function. */
  startWorker(options: {
    runners: Record<string, AgentRunner>;
    defaultRunner?: string;
    overrides?: Partial<RunTaskDeps>;
  }): Promise<() => Promise<void>>;
  createTask(request?: Partial<ParsedTaskRequest>): Promise<Task>;
  enqueue(taskId: string): Promise<void>;
  waitForFinal(taskId: string, timeoutMs?: number): Promise<Task>;
  close(): Promise<void>;
}

/**
 * Everything real but the two things out of reach: PostgreSQL and Redis (shared local servers,
 * own database and prefix), BullMQ, the workspace from a local bare repository, the repository
 * index, and the Octokit adapters against the GitHub stand-in checked against @octokit/openapi.
 */
export async function createHarness(options: { files?: Record<string, string>; lockDurationMs?: number } = {}): Promise<Harness> {
  const db = await createTestDatabase();
  const gh = await startGitHubStandIn();
  const app = gh.state.createApp({ name: 'agent-bot' });
  const installationId = String(gh.state.createInstallation({ appId: app.id, account: 'octo-org', repos: [REPO] }).id);
  gh.state.createRepo({ fullName: REPO, defaultBranch: 'main', collaborators: { alice: 'admin' } });
  const remote = createLocalGitRemote();
  remote.createRepo(
    REPO,
    options.files ?? { 'src/greet.ts': 'export function greet() {\n  return "helo";\n}\n', 'README.md': '# widgets\n' },
  );
  const workspaceDir = mkdtempSync(join(tmpdir(), 'agent-bot-e2e-ws-'));
  const runsDir = mkdtempSync(join(tmpdir(), 'agent-bot-e2e-runs-'));
  const prefix = uniqueRedisPrefix();
  const redis = await ready(createRedis(TEST_REDIS_URL, 'producer'));
  const queue = new BullMqJobQueue({ connection: redis, prefix });
  const tasks = new PostgresTaskRepository(db.sql);
  const stops: (() => Promise<void>)[] = [];
  const logger = createLogger({ name: 'e2e', level: 'silent' });

  return {
    db,
    gh,
    remote,
    installationId,
    app,
    workspaceDir,
    runsDir,
    prefix,
    tasks,
    async startWorker({ runners, defaultRunner, overrides }) {
      const connection = createRedis(TEST_REDIS_URL, 'consumer');
      const publisher = await ready(createRedis(TEST_REDIS_URL, 'producer'));
      const subscriber = createRedis(TEST_REDIS_URL, 'subscriber');
      const github = createGitHubAdapters({
        appId: String(app.id),
        privateKey: app.privateKey,
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        baseUrl: gh.apiUrl,
        logger,
      });
      const deps: RunTaskDeps = {
        tasks,
        taskEvents: new PostgresTaskEventRepository(db.sql),
        events: new RedisEventBus({ publisher, subscriber, prefix }),
        logger,
        metrics: createMetrics(),
        resolveRunner: createRunnerResolver(runners, defaultRunner),
        limits: { timeoutMs: 60_000, maxCostUsd: 5, maxTokens: 1_000_000 },
        heartbeatIntervalMs: 500,
        workspaces: new WorkspaceManager({
          rootDir: workspaceDir,
          remoteBaseUrl: remote.baseUrl,
          maxRepoBytes: 1e9,
          maxFiles: 10_000,
        }),
        indexer: new RepositoryIndexer({ store: new PostgresRepositoryIndexStore(db.sql) }),
        github: { results: github.results, tokens: github.installationTokens },
        monthlyBudget: { spend: new PostgresInstallationSpend(db.sql), limitUsd: 0 },
        publicUrl: PUBLIC_URL,
        commentThrottleMs: 200,
        ...overrides,
      };
      const consumer = new BullMqJobConsumer({
        connection,
        prefix,
        concurrency: 2,
        lockDurationMs: options.lockDurationMs ?? 30_000,
        stalledIntervalMs: Math.min(options.lockDurationMs ?? 30_000, 5_000),
        handlers: { 'task.run': createTaskRunProcessor(deps) },
      });
      await consumer.ready();
      const stop = async () => {
        await consumer.close(5_000);
        await deps.events.close();
        connection.disconnect();
        publisher.disconnect();
        subscriber.disconnect();
      };
      stops.push(stop);
      return stop;
    },
    createTask(request = {}) {
      return tasks.create({
        kind: 'fix',
        priority: 'P1',
        source: 'github',
        prompt: 'Fix the typo in greet: it should return "hello".',
        title: 'Fix the greeting typo',
        repo: REPO,
        installationId,
        requestedBy: 'alice',
        context: { issueNumber: 7, isPullRequest: false },
        ...request,
      } as ParsedTaskRequest);
    },
    async enqueue(taskId) {
      await queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P1' });
    },
    waitForFinal(taskId, timeoutMs = 60_000) {
      return waitFor(
        `task ${taskId} to finish`,
        async () => {
          const task = await tasks.get(taskId);
          return task && (task.status === 'succeeded' || task.status === 'failed') ? task : null;
        },
        { timeoutMs, intervalMs: 100 },
      );
    },
    async close() {
      for (const stop of stops) await stop().catch(() => undefined);
      await queue.close();
      await deleteRedisPrefix(prefix);
      redis.disconnect();
      await gh.close();
      remote.remove();
      rmSync(workspaceDir, { recursive: true, force: true });
      rmSync(runsDir, { recursive: true, force: true });
      await db.drop();
    },
  };
}

/** Producer connections fail fast instead of queueing commands: wait until they are connected. */
async function ready<T extends { status: string; once(event: 'ready', listener: () => void): unknown }>(client: T): Promise<T> {
  if (client.status !== 'ready') await new Promise<void>((resolve) => client.once('ready', resolve));
  return client;
}
