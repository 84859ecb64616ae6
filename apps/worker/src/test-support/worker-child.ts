/**
 * A worker in its own process for the SIGKILL drills: wired like the test worker, with a Claude
 * Code runner against the given Messages API stand-in, a GatedRunner (opened at once) that fixes
 * src/greet.ts or reports `gated.fail`, or the noop runner. Parameters come as one JSON argument.
 */
import type { TaskRepository } from '@agent-bot/contracts';
import { PostgresTaskRepository, createSql } from '@agent-bot/db';
import { SlackReplyChannel } from '@agent-bot/replies';
import { ClaudeCodeRunner } from '@agent-bot/runners';
import { claudeBinary } from '@agent-bot/testing';
import { NoopRunner } from '../runners/noop-runner.js';
import { GatedRunner } from './gated-runner.js';
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
  /** The gated runner instead of Claude or noop; `fail`: the result it reports instead of a fix. */
  gated?: { fail?: { errorCode: string; summary: string } };
  /**
   * Die (SIGKILL, no cleanup) at the settle: `before-settle` when the first success is about to be
   * written (after its replies, before its row); `after-settle` right after a success or failure
   * committed (before anyone is told).
   */
  die?: 'before-settle' | 'after-settle';
};

const sql = createSql({ url: params.databaseUrl, poolSize: 2 });
const runner = params.gated
  ? new GatedRunner({ 'src/greet.ts': 'export function greet() {\n  return "hello";\n}\n' }, params.gated.fail)
  : params.anthropicUrl
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
if (runner instanceof GatedRunner) runner.open();
const tasks: TaskRepository = new PostgresTaskRepository(sql);
const die = () => process.kill(process.pid, 'SIGKILL');
if (params.die === 'before-settle') {
  tasks.markSucceeded = () => {
    die();
    return new Promise(() => undefined);
  };
}
if (params.die === 'after-settle') {
  const [markSucceeded, markFailed] = [tasks.markSucceeded.bind(tasks), tasks.markFailed.bind(tasks)];
  tasks.markSucceeded = async (...args) => dieIfSettled(await markSucceeded(...args));
  tasks.markFailed = async (...args) => dieIfSettled(await markFailed(...args));
}

function dieIfSettled<T>(row: T): T {
  if (row) die();
  return row;
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
