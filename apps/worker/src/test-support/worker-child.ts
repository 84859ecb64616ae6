/**
 * A worker in its own process for the SIGKILL drills: wired like the test worker, with a Claude
 * Code runner against the given Messages API stand-in (or the noop runner). Parameters come as one
 * JSON argument.
 */
import type { TaskRepository } from '@agent-bot/contracts';
import { PostgresTaskRepository, createSql } from '@agent-bot/db';
import { SlackReplyChannel } from '@agent-bot/replies';
import { ClaudeCodeRunner } from '@agent-bot/runners';
import { claudeBinary } from '@agent-bot/testing';
import { NoopRunner } from '../runners/noop-runner.js';
import { startTestWorker } from './test-worker.js';

const params = JSON.parse(process.argv[2] ?? '{}') as {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  gitBaseUrl: string;
  workspaceDir: string;
  runsDir: string;
  publicUrl: string;
  anthropicUrl?: string;
  lockDurationMs: number;
  github: { apiUrl: string; appId: string; privateKey: string; clientId: string; clientSecret: string };
  /** Answer Slack tasks through this Web API root with this bot token. */
  slack?: { apiUrl: string; botToken: string };
  /** Die (SIGKILL, no cleanup) when the first task is about to be settled: after its replies, before its row. */
  dieAtSettle?: boolean;
};

const sql = createSql({ url: params.databaseUrl, poolSize: 2 });
const runner = params.anthropicUrl
  ? new ClaudeCodeRunner({
      command: claudeBinary(),
      apiKey: 'sk-ant-child',
      baseUrl: params.anthropicUrl,
      allowedTools: ['Read', 'Write', 'Edit'],
      maxTurns: 10,
      runsDir: params.runsDir,
      maxRetries: 0,
    })
  : new NoopRunner();
const tasks: TaskRepository = new PostgresTaskRepository(sql);
if (params.dieAtSettle) {
  tasks.markSucceeded = () => {
    process.kill(process.pid, 'SIGKILL');
    return new Promise(() => undefined);
  };
}
await startTestWorker({
  ...params,
  sql,
  runners: { [runner.name]: runner },
  defaultRunner: runner.name,
  overrides: {
    tasks,
    ...(params.slack ? { replies: { slack: new SlackReplyChannel(params.slack) } } : {}),
  },
});
process.stdout.write('worker-ready\n');
