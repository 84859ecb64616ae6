/**
 * A worker in its own process that dies by SIGKILL the moment it has settled its task's row
 * (markSucceeded or markFailed committed), before it tells anyone: the window the ending sweep
 * closes. Wired like the test worker, with a GatedRunner (opened at once) that changes
 * src/greet.ts, or reports `fail` instead. Parameters come as one JSON argument.
 */
import { PostgresTaskRepository, createSql } from '@agent-bot/db';
import { GatedRunner } from './gated-runner.js';
import { startTestWorker } from './test-worker.js';

const params = JSON.parse(process.argv[2] ?? '{}') as {
  databaseUrl: string;
  redisUrl: string;
  prefix: string;
  gitBaseUrl: string;
  workspaceDir: string;
  publicUrl: string;
  lockDurationMs: number;
  github: { apiUrl: string; appId: string; privateKey: string; clientId: string; clientSecret: string };
  fail?: { errorCode: string; summary: string };
};

/** The task repository, except that the process dies right after a verdict is committed. */
class DiesAfterSettling extends PostgresTaskRepository {
  override async markSucceeded(...args: Parameters<PostgresTaskRepository['markSucceeded']>) {
    return dieIfSettled(await super.markSucceeded(...args));
  }

  override async markFailed(...args: Parameters<PostgresTaskRepository['markFailed']>) {
    return dieIfSettled(await super.markFailed(...args));
  }
}

function dieIfSettled<T>(row: T): T {
  if (row) process.kill(process.pid, 'SIGKILL');
  return row;
}

const sql = createSql({ url: params.databaseUrl, poolSize: 2 });
const runner = new GatedRunner({ 'src/greet.ts': 'export function greet() {\n  return "hello";\n}\n' }, params.fail);
runner.open();
await startTestWorker({
  ...params,
  sql,
  runners: { noop: runner },
  defaultRunner: 'noop',
  overrides: { tasks: new DiesAfterSettling(sql) },
});
process.stdout.write('worker-ready\n');
