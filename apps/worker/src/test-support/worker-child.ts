/**
 * A worker in its own process for the SIGKILL drill: wired like the test worker, with a Claude
 * Code runner against the given Messages API stand-in. Parameters come as one JSON argument.
 */
import { createSql } from '@agent-bot/db';
import { ClaudeCodeRunner } from '@agent-bot/runners';
import { claudeBinary } from '@agent-bot/testing';
import { startTestWorker } from './test-worker.js';

const params = JSON.parse(process.argv[2] ?? '{}') as {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  gitBaseUrl: string;
  workspaceDir: string;
  runsDir: string;
  publicUrl: string;
  anthropicUrl: string;
  lockDurationMs: number;
  github: { apiUrl: string; appId: string; privateKey: string; clientId: string; clientSecret: string };
};

const sql = createSql({ url: params.databaseUrl, poolSize: 2 });
const runner = new ClaudeCodeRunner({
  command: claudeBinary(),
  apiKey: 'sk-ant-child',
  baseUrl: params.anthropicUrl,
  allowedTools: ['Read', 'Write', 'Edit'],
  maxTurns: 10,
  runsDir: params.runsDir,
  maxRetries: 0,
});
await startTestWorker({ ...params, sql, runners: { 'claude-code': runner }, defaultRunner: 'claude-code' });
process.stdout.write('worker-ready\n');
