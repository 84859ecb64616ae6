import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { PostgresTaskEventRepository, PostgresTaskRepository } from '@agent-bot/db';
import {
  TEST_REDIS_URL,
  type TestDatabase,
  createTestDatabase,
  freePort,
  spawnSource,
  uniqueRedisPrefix,
  waitForHttp,
} from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from './run-cli.js';

function capture(env: Record<string, string | undefined>) {
  const out: string[] = [];
  const err: string[] = [];
  return {
    io: { stdout: (t: string) => void out.push(t), stderr: (t: string) => void err.push(t), env },
    out: () => out.join(''),
    err: () => err.join(''),
  };
}

describe('agent-bot CLI', () => {
  let migrated: TestDatabase;
  let empty: TestDatabase;
  let closedPort: number;
  beforeAll(async () => {
    [migrated, empty] = await Promise.all([createTestDatabase(), createTestDatabase({ migrate: false })]);
    closedPort = await freePort();
  });
  afterAll(async () => {
    await Promise.all([migrated.drop(), empty.drop()]);
  });

  it('doctor passes on a migrated database and a noeviction Redis, warning that the gateway is down', async () => {
    const run = capture({ DATABASE_URL: migrated.url, REDIS_URL: TEST_REDIS_URL, PUBLIC_URL: `http://127.0.0.1:${closedPort}` });
    const code = await runCli(['doctor'], run.io);
    expect(run.out()).toContain('✓ PostgreSQL reachable');
    expect(run.out()).toContain('✓ Redis maxmemory-policy is noeviction');
    expect(run.out()).toMatch(/! gateway not reachable at http:\/\/127\.0\.0\.1:\d+/);
    // No ADMIN_TOKEN, no ENCRYPTION_KEY (warnings outside production) and no gateway.
    expect(run.out()).toContain('all checks passed, 3 warning(s) above');
    expect(code).toBe(0);
  });

  it('doctor fails on an unmigrated database and names the fix', async () => {
    const run = capture({ DATABASE_URL: empty.url, REDIS_URL: TEST_REDIS_URL, PUBLIC_URL: `http://127.0.0.1:${closedPort}` });
    expect(await runCli(['doctor'], run.io)).toBe(1);
    expect(run.out()).toMatch(/✗ schema at version 0, this build needs \d+ — fix: npm run migrate/);
  });

  it('doctor reports an unreachable Redis with its address and lists every bad variable', async () => {
    const unreachable = capture({ DATABASE_URL: migrated.url, REDIS_URL: `redis://127.0.0.1:${closedPort}` });
    expect(await runCli(['doctor'], unreachable.io)).toBe(1);
    expect(unreachable.out()).toContain(`Redis is not reachable at 127.0.0.1:${closedPort}`);

    const bad = capture({ REDIS_URL: 'nonsense', PORT: 'abc' });
    expect(await runCli(['doctor'], bad.io)).toBe(1);
    expect(bad.out()).toContain('config REDIS_URL');
    expect(bad.out()).toContain('config PORT');
  });

  it('explains usage errors and missing credentials instead of failing obscurely', async () => {
    const unknown = capture({});
    expect(await runCli(['frobnicate'], unknown.io)).toBe(2);
    expect(unknown.err()).toContain('unknown command "frobnicate"');

    const noToken = capture({ PUBLIC_URL: `http://127.0.0.1:${closedPort}` });
    expect(await runCli(['tasks'], noToken.io)).toBe(1);
    expect(noToken.err()).toContain('ADMIN_TOKEN is not set');

    const down = capture({ PUBLIC_URL: `http://127.0.0.1:${closedPort}`, ADMIN_TOKEN: 'a'.repeat(32) });
    expect(await runCli(['tasks'], down.io)).toBe(1);
    expect(down.err()).toContain(`cannot reach the gateway at http://127.0.0.1:${closedPort}`);
  });

  it('names the likely cause when the answer is not JSON (a proxy error page or a wrong --url)', async () => {
    const proxy = createServer((_req, res) =>
      res.writeHead(502, { 'content-type': 'text/html' }).end('<html><body><h1>502 Bad Gateway</h1></body></html>'),
    );
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    try {
      const url = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
      const run = capture({ PUBLIC_URL: url, ADMIN_TOKEN: 'a'.repeat(32) });
      expect(await runCli(['tasks'], run.io)).toBe(1);
      expect(run.err()).toContain('answered 502 with something that is not JSON ("<html><body><h1>502 Bad Gateway');
      expect(run.err()).toContain(`is ${url} the agent-bot gateway? Point the CLI at it with --url or PUBLIC_URL.`);
    } finally {
      await new Promise((resolve) => proxy.close(resolve));
    }
  });

  /** A real gateway process on the migrated database, reached by the CLI as an operator would. */
  async function startGateway() {
    const port = await freePort();
    const adminToken = randomBytes(16).toString('hex');
    const gateway = spawnSource(fileURLToPath(new URL('../../gateway/src/main.ts', import.meta.url)), {
      env: {
        PORT: String(port),
        WORKER_PORT: String(await freePort()),
        HOST: '127.0.0.1',
        DATABASE_URL: migrated.url,
        REDIS_URL: TEST_REDIS_URL,
        REDIS_PREFIX: uniqueRedisPrefix('cli'),
        ADMIN_TOKEN: adminToken,
        GITHUB_WEBHOOK_SECRET: 'cli-test-secret',
        LOG_LEVEL: 'warn',
      },
    });
    const stop = async () => {
      gateway.child.kill('SIGTERM');
      await gateway.exited;
    };
    try {
      await waitForHttp(`http://127.0.0.1:${port}/health/live`, gateway);
    } catch (error) {
      await stop();
      throw error;
    }
    return { port, adminToken, stop };
  }

  it('lists tasks, shows one with its events and replays a delivery through a running gateway', async () => {
    const { port, adminToken, stop } = await startGateway();
    try {
      const tasks = new PostgresTaskRepository(migrated.sql);
      const task = await tasks.create({
        kind: 'fix',
        priority: 'P1',
        source: 'api',
        prompt: 'fix it',
        repo: 'octo/repo',
        context: {},
      });
      await new PostgresTaskEventRepository(migrated.sql).append(task.id, { kind: 'started', message: 'attempt 1 started' });
      const env = { PUBLIC_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN: adminToken };

      const list = capture(env);
      expect(await runCli(['tasks', '--repo', 'octo/repo'], list.io)).toBe(0);
      expect(list.out()).toMatch(new RegExp(`${task.id}\\s+queued\\s+fix\\s+P1\\s+octo/repo`));

      const show = capture(env);
      expect(await runCli(['task', task.id], show.io)).toBe(0);
      expect(show.out()).toContain('attempt 1 started');
      expect(show.out()).toContain('runs: none yet');

      // With runs: a table of what each spent (two runs of attempt 1, one of attempt 2), in that order.
      await tasks.markRunning(task.id, 1);
      await tasks.recordAttemptUsage(
        task.id,
        { attempt: 1, runId: 'run-dead' },
        { inputTokens: 1000, outputTokens: 100, costUsd: 0.25 },
      );
      await tasks.recordAttemptUsage(
        task.id,
        { attempt: 1, runId: 'run-takeover' },
        { inputTokens: 500, outputTokens: 50, costUsd: 0.125 },
      );
      await tasks.recordAttemptUsage(task.id, 2, { inputTokens: 7, outputTokens: 3, costUsd: 0.5 });
      const withRuns = capture(env);
      expect(await runCli(['task', task.id], withRuns.io)).toBe(0);
      const table = withRuns.out().split('runs:\n')[1]?.split('\n\n')[0]?.split('\n') ?? [];
      expect(table.map((line) => line.replace(/\s+\S+$/, '').split(/\s{2,}/))).toEqual([
        ['ATTEMPT', 'RUN', 'TOKENS IN', 'TOKENS OUT', 'COST', 'FIRST'],
        ['1', 'run-dead', '1000', '100', '$0.2500'],
        ['1', 'run-takeover', '500', '50', '$0.1250'],
        ['2', '-', '7', '3', '$0.5000'],
      ]);
      const json = capture(env);
      expect(await runCli(['task', task.id, '--json'], json.io)).toBe(0);
      const shown = JSON.parse(json.out());
      expect(shown.task).toMatchObject({ id: task.id, input_tokens: 1507, cost_usd: 0.875 });
      expect(shown.runs.map((r: { attempt: number; run_id: string | null }) => [r.attempt, r.run_id])).toEqual([
        [1, 'run-dead'],
        [1, 'run-takeover'],
        [2, null],
      ]);
      expect(shown.events).toEqual([expect.objectContaining({ message: 'attempt 1 started' })]);

      const missing = capture(env);
      expect(await runCli(['task', '00000000-0000-0000-0000-000000000000'], missing.io)).toBe(1);
      expect(missing.err()).toContain('TASK_NOT_FOUND');

      // A bad option value: the message names the option and what it accepts, not only "request is invalid".
      const badStatus = capture(env);
      expect(await runCli(['tasks', '--status', 'done'], badStatus.io)).toBe(1);
      expect(badStatus.err()).toContain(
        '400 VALIDATION_FAILED request is invalid: status: Invalid option: expected one of "queued"',
      );
      const badLimit = capture(env);
      expect(await runCli(['deliveries', '--limit', '0'], badLimit.io)).toBe(1);
      expect(badLimit.err()).toMatch(/request is invalid: limit: .*>=1/);

      // A delivery that made a task: the replay names that task (it is kept, never doubled).
      const body = JSON.stringify({
        action: 'created',
        installation: { id: 1 },
        repository: { id: 1, name: 'repo', full_name: 'octo/repo', owner: { login: 'octo' }, default_branch: 'main' },
        issue: { number: 1, title: 'Flaky', body: '', user: { login: 'octocat' }, labels: [] },
        comment: { id: 1, body: '@agent-bot fix it', user: { login: 'octocat', type: 'User' }, author_association: 'OWNER' },
        sender: { login: 'octocat', type: 'User' },
      });
      const delivered = await fetch(`http://127.0.0.1:${port}/webhooks/github`, {
        method: 'POST',
        body,
        headers: {
          'content-type': 'application/json',
          'x-github-event': 'issue_comment',
          'x-github-delivery': randomUUID(),
          'x-hub-signature-256': `sha256=${createHmac('sha256', 'cli-test-secret').update(body).digest('hex')}`,
        },
      });
      const { delivery_id: deliveryId, task_id: deliveryTaskId } = (await delivered.json()) as Record<string, string>;
      expect(deliveryTaskId).toEqual(expect.any(String));
      const replay = capture(env);
      expect(await runCli(['replay', deliveryId as string], replay.io)).toBe(0);
      expect(replay.out()).toBe(`replayed ${deliveryId}: enqueued, task ${deliveryTaskId}\n`);

      // Once that task has run, replaying says it was not run again and how to run it again.
      await tasks.markRunning(deliveryTaskId as string, 1);
      await tasks.markSucceeded(deliveryTaskId as string, { attempt: 1 });
      const replayRan = capture(env);
      expect(await runCli(['replay', deliveryId as string], replayRan.io)).toBe(0);
      expect(replayRan.out()).toBe(
        `replayed ${deliveryId}: already_ran, task ${deliveryTaskId} is succeeded and was not run again\n` +
          `hint: to run it again, retry task ${deliveryTaskId} (CLI: agent-bot retry ${deliveryTaskId}; dashboard: Retry on the task; API: POST /api/tasks/${deliveryTaskId}/retry)\n`,
      );

      const wrongToken = capture({ ...env, ADMIN_TOKEN: 'b'.repeat(32) });
      expect(await runCli(['tasks'], wrongToken.io)).toBe(1);
      expect(wrongToken.err()).toContain('refused the admin token');
    } finally {
      await stop();
    }
  });

  it('retries and cancels tasks through a running gateway, explaining each refusal with what to do instead', async () => {
    const { port, adminToken, stop } = await startGateway();
    try {
      const tasks = new PostgresTaskRepository(migrated.sql);
      const env = { PUBLIC_URL: `http://127.0.0.1:${port}`, ADMIN_TOKEN: adminToken };
      const queued = await tasks.create({ kind: 'fix', priority: 'P1', source: 'api', prompt: 'fix it', context: {} });

      // 409 TASK_NOT_RETRYABLE: still waiting to run.
      const early = capture(env);
      expect(await runCli(['retry', queued.id], early.io)).toBe(1);
      expect(early.err()).toBe(
        `agent-bot: cannot retry task ${queued.id} (TASK_NOT_RETRYABLE): it is still queued. Only a finished task can be ` +
          `retried: wait for it (agent-bot task ${queued.id}) or stop it first (agent-bot cancel ${queued.id})\n`,
      );

      const cancel = capture(env);
      expect(await runCli(['cancel', queued.id, '--reason', 'wrong repository'], cancel.io)).toBe(0);
      expect(cancel.out()).toBe(`cancelled task ${queued.id} (cancelled by admin: wrong repository)\n`);
      expect(await tasks.get(queued.id)).toMatchObject({
        status: 'cancelled',
        errorCode: 'TASK_CANCELLED',
        errorMessage: 'cancelled by admin: wrong repository',
      });

      // 409 TASK_NOT_CANCELLABLE: already final.
      const again = capture(env);
      expect(await runCli(['cancel', queued.id], again.io)).toBe(1);
      expect(again.err()).toBe(
        `agent-bot: cannot cancel task ${queued.id} (TASK_NOT_CANCELLABLE): it is already cancelled. Only a queued or ` +
          `running task can be cancelled; to run it again: agent-bot retry ${queued.id}\n`,
      );

      const retry = capture(env);
      expect(await runCli(['retry', queued.id], retry.io)).toBe(0);
      const retriedId = /as task ([0-9a-f-]{36}) \(queued\)/.exec(retry.out())?.[1] as string;
      expect(retry.out()).toBe(`retried ${queued.id} as task ${retriedId} (queued)\nfollow it: agent-bot task ${retriedId}\n`);
      expect((await tasks.get(retriedId))?.context).toMatchObject({ retryOf: queued.id });

      const retryJson = capture(env);
      expect(await runCli(['retry', queued.id, '--json'], retryJson.io)).toBe(0);
      expect(JSON.parse(retryJson.out())).toMatchObject({ enqueued: true, task: { status: 'queued', prompt: 'fix it' } });

      const cancelJson = capture(env);
      expect(await runCli(['cancel', retriedId, '--json'], cancelJson.io)).toBe(0);
      expect(JSON.parse(cancelJson.out())).toMatchObject({
        task: { id: retriedId, status: 'cancelled', error_message: 'cancelled by admin' },
      });

      // 409 TASK_PUBLISHING: past the point of no return.
      const publishing = await tasks.create({ kind: 'fix', priority: 'P1', source: 'api', prompt: 'ship it', context: {} });
      await tasks.markRunning(publishing.id, 1);
      await tasks.startPublishing(publishing.id);
      const late = capture(env);
      expect(await runCli(['cancel', publishing.id], late.io)).toBe(1);
      expect(late.err()).toBe(
        `agent-bot: cannot cancel task ${publishing.id} (TASK_PUBLISHING): it is already publishing its result ` +
          `(branch, pull request, replies), so it finishes as published. Follow it: agent-bot task ${publishing.id}\n`,
      );
      expect(await tasks.get(publishing.id)).toMatchObject({ status: 'running' });

      const unknown = capture(env);
      expect(await runCli(['cancel', randomUUID()], unknown.io)).toBe(1);
      expect(unknown.err()).toMatch(/not found \(TASK_NOT_FOUND\): list recent tasks with agent-bot tasks/);

      const noId = capture(env);
      expect(await runCli(['retry'], noId.io)).toBe(2);
      expect(noId.err()).toContain('missing argument: agent-bot retry <task-id>');

      // The API's own validation reaches the operator with the option's name.
      const emptyReason = capture(env);
      expect(await runCli(['cancel', publishing.id, '--reason', ' '], emptyReason.io)).toBe(1);
      expect(emptyReason.err()).toMatch(/400 VALIDATION_FAILED request is invalid: reason: /);
    } finally {
      await stop();
    }
  });
});
