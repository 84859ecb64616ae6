import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AgentRunner, ParsedTaskRequest, Task } from '@agent-bot/contracts';
import { PostgresTaskRepository } from '@agent-bot/db';
import { BullMqJobQueue, DEFAULT_QUEUE_NAME, createRedis } from '@agent-bot/queue';
import { ClaudeCodeRunner, type ClaudeCodeRunnerOptions } from '@agent-bot/runners';
import {
  type AnthropicStep,
  type GitHubStandIn,
  type LocalGitRemote,
  type OllamaStep,
  TEST_REDIS_URL,
  type TestDatabase,
  claudeBinary,
  createLocalGitRemote,
  createTestDatabase,
  deleteRedisPrefix,
  startGitHubStandIn,
  uniqueRedisPrefix,
  waitFor,
} from '@agent-bot/testing';
import type { TaskRunProcessorDeps } from '../processors/task-run.processor.js';
import { ready, startTestWorker } from './test-worker.js';

export const REPO = 'octo-org/widgets';
export const PUBLIC_URL = 'https://agent-bot.example.test';
/** src/greet.ts after the agent fixed its typo. */
export const FIXED_GREET = 'export function greet() {\n  return "hello";\n}\n';

/** What the Anthropic stand-in answers to fix the typo: Read, then an Edit tool call, then `summary`. */
export function fixGreetClaudeScript(worktree: string, summary = 'Fixed the typo in greet().'): AnthropicStep[] {
  return [
    { kind: 'tool_use', name: 'Read', input: { file_path: join(worktree, 'src/greet.ts') } },
    {
      kind: 'tool_use',
      name: 'Edit',
      input: { file_path: join(worktree, 'src/greet.ts'), old_string: '"helo"', new_string: '"hello"' },
    },
    { kind: 'text', text: summary },
  ];
}

/** What the Ollama stand-in answers to fix the typo: an index search, a write_file call, a summary. */
export const FIX_GREET_OLLAMA_SCRIPT: OllamaStep[] = [
  { kind: 'tool_calls', calls: [{ name: 'search_code', arguments: { query: 'greet' } }] },
  { kind: 'tool_calls', calls: [{ name: 'write_file', arguments: { path: 'src/greet.ts', content: FIXED_GREET } }] },
  { kind: 'text', text: 'Fixed greet.' },
];

/** A pull request's branch and the file only it has: the agent reads it only on the PR head. */
export const PR_BRANCH = 'feature/farewell';
export const FAREWELL = 'export function farewell() {\n  return "goodby";\n}\n';
export const FIXED_FAREWELL = 'export function farewell() {\n  return "goodbye";\n}\n';
/** Reads the PR-only file, fixes its typo, summarises. */
export const FIX_FAREWELL_OLLAMA_SCRIPT: OllamaStep[] = [
  { kind: 'tool_calls', calls: [{ name: 'read_file', arguments: { path: 'src/farewell.ts' } }] },
  { kind: 'tool_calls', calls: [{ name: 'write_file', arguments: { path: 'src/farewell.ts', content: FIXED_FAREWELL } }] },
  { kind: 'text', text: 'Fixed the farewell typo.' },
];

export interface Harness {
  db: TestDatabase;
  gh: GitHubStandIn;
  remote: LocalGitRemote;
  installationId: string;
  githubParams: { apiUrl: string; appId: string; privateKey: string; clientId: string; clientSecret: string };
  workspaceDir: string;
  runsDir: string;
  prefix: string;
  tasks: PostgresTaskRepository;
  /** The producer side of the queue the workers consume. */
  queue: BullMqJobQueue;
  /** Starts an in-process consumer with these runners; returns a stop function. */
  startWorker(options: {
    runners: Record<string, AgentRunner>;
    defaultRunner?: string;
    overrides?: Partial<TaskRunProcessorDeps>;
  }): Promise<() => Promise<void>>;
  /** The first task on REPO gets the pool's first worktree: where the agent's files are. */
  worktree(): string;
  /** The real Claude Code CLI against `baseUrl` (an Anthropic stand-in), offline-safe settings. */
  claudeRunner(baseUrl: string, overrides?: Partial<ClaudeCodeRunnerOptions>): ClaudeCodeRunner;
  /**
   * Pull request `number` from `head` (owner:branch; another owner is a fork) into main: PR_BRANCH
   * off main with FAREWELL on the git remote, the issue and pull request on the stand-in. Returns
   * the head commit.
   */
  openPullRequest(number: number, head: string): string;
  /**
   * A review comment by alice mentioning the bot on pull request #5 (opened from the same owner's
   * PR_BRANCH), and the task the gateway records for it; `replies` lists the answers in its thread.
   */
  reviewCommentTask(): Promise<{ task: Task; replies: () => GitHubStandIn['state']['reviewComments'] }>;
  createTask(request?: Partial<ParsedTaskRequest>): Promise<Task>;
  enqueue(taskId: string): Promise<void>;
  /** Waits until the task is succeeded or failed and its job has ended (so it has been reported). */
  waitForFinal(taskId: string, timeoutMs?: number): Promise<Task>;
  close(): Promise<void>;
}

/**
 * Everything real but the two things out of reach: PostgreSQL and Redis (shared local servers,
 * own database and prefix), BullMQ, the workspace from a local bare repository, the repository
 * index, and the Octokit adapters against the GitHub stand-in checked against @octokit/openapi.
 */
export async function createHarness(
  options: {
    files?: Record<string, string>;
    lockDurationMs?: number;
    /** A database someone else owns (e.g. a test gateway's); not dropped on close. */
    db?: TestDatabase;
    /** A Redis prefix someone else owns (e.g. a test gateway's); not deleted on close. */
    prefix?: string;
  } = {},
): Promise<Harness> {
  const db = options.db ?? (await createTestDatabase());
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
  const prefix = options.prefix ?? uniqueRedisPrefix();
  const redis = await ready(createRedis(TEST_REDIS_URL, 'producer'));
  const queue = new BullMqJobQueue({ connection: redis, prefix });
  const tasks = new PostgresTaskRepository(db.sql);
  const stops: (() => Promise<void>)[] = [];
  const githubParams = {
    apiUrl: gh.apiUrl,
    appId: String(app.id),
    privateKey: app.privateKey,
    clientId: app.clientId,
    clientSecret: app.clientSecret,
  };

  const harness: Harness = {
    db,
    gh,
    remote,
    installationId,
    githubParams,
    workspaceDir,
    runsDir,
    prefix,
    tasks,
    queue,
    async startWorker({ runners, defaultRunner, overrides }) {
      const stop = await startTestWorker({
        sql: db.sql,
        redisUrl: TEST_REDIS_URL,
        prefix,
        gitBaseUrl: remote.baseUrl,
        workspaceDir,
        publicUrl: PUBLIC_URL,
        github: githubParams,
        lockDurationMs: options.lockDurationMs ?? 30_000,
        runners,
        defaultRunner,
        overrides,
      });
      stops.push(stop);
      return stop;
    },
    worktree() {
      return join(workspaceDir, 'worktrees', REPO, 'wt-0');
    },
    claudeRunner(baseUrl, overrides = {}) {
      return new ClaudeCodeRunner({
        command: claudeBinary(),
        apiKey: 'sk-ant-e2e',
        baseUrl,
        allowedTools: ['Read', 'Write', 'Edit'],
        maxTurns: 10,
        runsDir,
        maxRetries: 0,
        ...overrides,
      });
    },
    openPullRequest(number, head) {
      const headSha = remote.commit(REPO, { 'src/farewell.ts': FAREWELL }, PR_BRANCH, 'main');
      gh.state.addIssue({ repo: REPO, number, title: 'Add farewell' });
      gh.state.addPull({ repo: REPO, number, head, base: 'main', title: 'Add farewell', headSha });
      return headSha;
    },
    async reviewCommentTask() {
      const headSha = harness.openPullRequest(5, `octo-org:${PR_BRANCH}`);
      const asked = gh.state.addReviewComment({ repo: REPO, pullNumber: 5, body: '@agent-bot fix greet', user: 'alice' });
      const task = await harness.createTask({
        context: {
          issueNumber: 5,
          isPullRequest: true,
          pullRequestNumber: 5,
          baseBranch: PR_BRANCH,
          headSha,
          reviewCommentId: asked.id,
          threadCommentId: asked.id,
        },
      });
      return { task, replies: () => gh.state.reviewComments.filter((c) => c.inReplyToId === asked.id) };
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
      // The row is settled first and the comment, replies and log follow it; the job ends after
      // them, so a final row whose job has ended is a task everyone has been told about.
      const jobs = `${prefix}:${DEFAULT_QUEUE_NAME}`;
      return waitFor(
        `task ${taskId} to finish`,
        async () => {
          const task = await tasks.get(taskId);
          if (!task || (task.status !== 'succeeded' && task.status !== 'failed')) return null;
          const [completed, failed] = await Promise.all([
            redis.zscore(`${jobs}:completed`, taskId),
            redis.zscore(`${jobs}:failed`, taskId),
          ]);
          return completed !== null || failed !== null ? task : null;
        },
        { timeoutMs, intervalMs: 100 },
      );
    },
    async close() {
      for (const stop of stops) await stop().catch(() => undefined);
      await queue.close();
      if (!options.prefix) await deleteRedisPrefix(prefix);
      redis.disconnect();
      await gh.close();
      remote.remove();
      rmSync(workspaceDir, { recursive: true, force: true });
      rmSync(runsDir, { recursive: true, force: true });
      if (!options.db) await db.drop();
    },
  };
  return harness;
}
