import { randomUUID } from 'node:crypto';
import { type ParsedTaskRequest, taskRequestSchema } from '@agent-bot/contracts';
import { createTestDatabase, type TestDatabase } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresTaskEventRepository } from './postgres-task-event-repository.js';
import { PostgresTaskRepository } from './postgres-task-repository.js';

let db: TestDatabase;
let tasks: PostgresTaskRepository;
let events: PostgresTaskEventRepository;

beforeAll(async () => {
  db = await createTestDatabase();
  tasks = new PostgresTaskRepository(db.sql);
  events = new PostgresTaskEventRepository(db.sql);
});
afterAll(() => db.drop());

function request(overrides: Partial<ParsedTaskRequest> = {}): ParsedTaskRequest {
  return taskRequestSchema.parse({ kind: 'fix', priority: 'P1', source: 'api', prompt: 'fix the flaky test', ...overrides });
}

describe('PostgresTaskRepository', () => {
  it('creates a queued task and reads it back', async () => {
    const created = await tasks.create(request({ repo: 'octo/repo', context: { issue: 7 } }));
    expect(created).toMatchObject({ status: 'queued', priority: 'P1', kind: 'fix', repo: 'octo/repo', attempts: 0 });
    expect(created.context).toEqual({ issue: 7 });
    expect(await tasks.get(created.id)).toEqual(created);
    expect(await tasks.get(randomUUID())).toBeNull();
    expect(await tasks.get('not-a-uuid')).toBeNull();
  });

  it('moves through running to succeeded with timing and usage', async () => {
    const task = await tasks.create(request());
    const running = await tasks.markRunning(task.id, 1);
    expect(running).toMatchObject({ status: 'running', attempts: 1 });
    expect(running?.startedAt).toBeInstanceOf(Date);
    await tasks.heartbeat(task.id);
    const done = await tasks.markSucceeded(task.id, {
      usage: { inputTokens: 1200, outputTokens: 340, costUsd: 0.0123 },
      result: { pullRequestUrl: 'https://example.com/pr/1' },
    });
    expect(done).toMatchObject({ status: 'succeeded', inputTokens: 1200, outputTokens: 340, costUsd: 0.0123 });
    expect(done?.result.pullRequestUrl).toBe('https://example.com/pr/1');
    expect(done?.finishedAt).toBeInstanceOf(Date);
    expect(done?.durationMs).toBeGreaterThanOrEqual(0);
    // A final task is not started again (a duplicate job delivery finds nothing to do).
    expect(await tasks.markRunning(task.id, 2)).toBeNull();
  });

  it("adds a stopped attempt's usage to a cancelled task only, never changing its status", async () => {
    const task = await tasks.create(request());
    await tasks.markRunning(task.id, 1);
    const usage = { inputTokens: 500, outputTokens: 60, costUsd: 0.2 };
    // Not cancelled yet: nothing is written.
    expect(await tasks.recordCancelledUsage(task.id, usage)).toBeNull();
    expect(await tasks.get(task.id)).toMatchObject({ status: 'running', costUsd: 0 });
    await tasks.cancel(task.id, 'cancelled by alice');
    expect(await tasks.recordCancelledUsage(task.id, usage)).toMatchObject({
      status: 'cancelled',
      errorMessage: 'cancelled by alice',
      inputTokens: 500,
      outputTokens: 60,
      costUsd: 0.2,
    });
    // Written again (a repeated settle), it is counted once.
    expect(await tasks.recordCancelledUsage(task.id, usage)).toMatchObject({ costUsd: 0.2 });
  });

  it('records retries and the final failure with its code', async () => {
    const task = await tasks.create(request());
    await tasks.markRunning(task.id, 1);
    await tasks.markRetrying(task.id, { code: 'RUNNER_FAILED', message: 'boom' });
    const retried = await tasks.get(task.id);
    expect(retried).toMatchObject({ status: 'queued', errorCode: 'RUNNER_FAILED', errorMessage: 'boom' });
    const second = await tasks.markRunning(task.id, 2);
    expect(second).toMatchObject({ status: 'running', attempts: 2, errorCode: null });
    const failed = await tasks.markFailed(task.id, { code: 'RUNNER_FAILED', message: 'boom again' });
    expect(failed).toMatchObject({ status: 'failed', errorCode: 'RUNNER_FAILED', errorMessage: 'boom again', attempts: 2 });
    // A failed task is final: a late duplicate job does not revive it.
    expect(await tasks.markRunning(task.id, 1)).toBeNull();
  });

  it('a task publishing its result can no longer be cancelled, and finishes as published', async () => {
    const task = await tasks.create(request());
    await tasks.markRunning(task.id, 1);
    const publishing = await tasks.startPublishing(task.id);
    expect(publishing).toMatchObject({ status: 'running' });
    expect(publishing?.publishingAt).toBeInstanceOf(Date);
    expect(await tasks.cancel(task.id, 'cancelled by alice')).toBeNull();
    expect(await tasks.get(task.id)).toMatchObject({ status: 'running', errorCode: null });
    const done = await tasks.markSucceeded(task.id, { result: { pullRequestUrl: 'https://example.com/pr/2' } });
    expect(done).toMatchObject({ status: 'succeeded', result: { pullRequestUrl: 'https://example.com/pr/2' } });
  });

  it('a cancelled (or not yet running) task is never claimed for publishing', async () => {
    const queued = await tasks.create(request());
    expect(await tasks.startPublishing(queued.id)).toBeNull();
    const task = await tasks.create(request());
    await tasks.markRunning(task.id, 1);
    expect(await tasks.cancel(task.id, 'cancelled by alice')).toMatchObject({ status: 'cancelled' });
    expect(await tasks.startPublishing(task.id)).toBeNull();
    expect(await tasks.get(task.id)).toMatchObject({ status: 'cancelled', publishingAt: null });
  });

  it('a cancel and the publishing claim racing on one task: exactly one of them wins, every time', async () => {
    const created = await Promise.all(Array.from({ length: 20 }, () => tasks.create(request())));
    for (const task of created) await tasks.markRunning(task.id, 1);
    const outcomes = await Promise.all(
      created.map(async (task, i) => {
        // Both orders of issue, so neither side always starts first.
        const [cancelled, claimed] =
          i % 2 === 0
            ? await Promise.all([tasks.cancel(task.id, 'raced'), tasks.startPublishing(task.id)])
            : await Promise.all([tasks.startPublishing(task.id), tasks.cancel(task.id, 'raced')]).then(([c, x]) => [x, c]);
        const row = await tasks.get(task.id);
        return {
          cancelled: cancelled !== null,
          claimed: claimed !== null,
          status: row?.status,
          publishing: row?.publishingAt !== null,
        };
      }),
    );
    for (const outcome of outcomes) {
      expect(outcome.cancelled).toBe(!outcome.claimed);
      expect(outcome).toMatchObject(
        outcome.claimed ? { status: 'running', publishing: true } : { status: 'cancelled', publishing: false },
      );
    }
  });

  it('stays publishing across retries: an earlier attempt may already have pushed', async () => {
    const task = await tasks.create(request());
    await tasks.markRunning(task.id, 1);
    const first = await tasks.startPublishing(task.id);
    await tasks.markRetrying(task.id, { code: 'GITHUB_UNAVAILABLE', message: 'pull request not opened' });
    expect(await tasks.cancel(task.id, 'cancelled while queued for a retry')).toBeNull();
    const again = await tasks.markRunning(task.id, 2);
    expect(again?.publishingAt).toEqual(first?.publishingAt);
    expect(await tasks.cancel(task.id, 'cancelled during the retry')).toBeNull();
    expect((await tasks.startPublishing(task.id))?.publishingAt).toEqual(first?.publishingAt);
  });

  it('settles only a running task: a cancel or a stall verdict that came first stands, and null says so', async () => {
    const cancelled = await tasks.create(request());
    await tasks.markRunning(cancelled.id, 1);
    await tasks.cancel(cancelled.id, 'cancelled by alice');
    expect(await tasks.markFailed(cancelled.id, { code: 'RUNNER_FAILED', message: 'boom' })).toBeNull();
    expect(await tasks.markRetrying(cancelled.id, { code: 'RUNNER_FAILED', message: 'boom' })).toBeNull();
    expect(await tasks.markSucceeded(cancelled.id, { result: { summary: 'late' } })).toBeNull();
    expect(await tasks.get(cancelled.id)).toMatchObject({ status: 'cancelled', errorMessage: 'cancelled by alice' });

    const stalled = await tasks.create(request());
    await tasks.markRunning(stalled.id, 1);
    expect(await tasks.markFailed(stalled.id, { code: 'TASK_STALLED', message: 'no heartbeat' })).toMatchObject({
      status: 'failed',
    });
    expect(await tasks.markSucceeded(stalled.id, { result: { summary: 'late' } })).toBeNull();
    expect(await tasks.markFailed(stalled.id, { code: 'RUNNER_FAILED', message: 'late' })).toBeNull();
    expect(await tasks.get(stalled.id)).toMatchObject({ status: 'failed', errorCode: 'TASK_STALLED' });

    const queued = await tasks.create(request());
    expect(await tasks.markFailed(queued.id, { code: 'X', message: 'y' })).toBeNull();
    expect(await tasks.markFailed(randomUUID(), { code: 'X', message: 'y' })).toBeNull();
  });

  it('lists newest first with filters and keyset pagination', async () => {
    const repo = `page/${randomUUID().slice(0, 8)}`;
    const created = [];
    for (let i = 0; i < 5; i++) created.push(await tasks.create(request({ repo, prompt: `task ${i}` })));
    await tasks.markRunning(created[1]?.id as string, 1);

    const firstPage = await tasks.list({ repo, limit: 2 });
    expect(firstPage.map((t) => t.prompt)).toEqual(['task 4', 'task 3']);
    const secondPage = await tasks.list({ repo, limit: 2, before: firstPage.at(-1)?.id });
    expect(secondPage.map((t) => t.prompt)).toEqual(['task 2', 'task 1']);
    const lastPage = await tasks.list({ repo, limit: 2, before: secondPage.at(-1)?.id });
    expect(lastPage.map((t) => t.prompt)).toEqual(['task 0']);

    const running = await tasks.list({ repo, status: 'running' });
    expect(running.map((t) => t.prompt)).toEqual(['task 1']);
    expect(await tasks.list({ repo: 'nobody/none' })).toEqual([]);
  });
});

describe('PostgresTaskEventRepository', () => {
  it('appends events in order and resumes after an id without gaps or repeats', async () => {
    const task = await tasks.create(request());
    const appended = [];
    for (let i = 0; i < 5; i++)
      appended.push(await events.append(task.id, { kind: 'agent.log', message: `line ${i}`, data: { i } }));
    const all = await events.list(task.id);
    expect(all.map((e) => e.message)).toEqual(['line 0', 'line 1', 'line 2', 'line 3', 'line 4']);
    expect(all[2]?.data).toEqual({ i: 2 });
    const rest = await events.list(task.id, { afterId: appended[1]?.id });
    expect(rest.map((e) => e.message)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(await events.list(task.id, { afterId: appended[1]?.id, limit: 2 })).toHaveLength(2);
    expect(await events.list(task.id, { afterId: appended[4]?.id })).toEqual([]);
  });

  it('keeps tasks apart and ignores a malformed afterId', async () => {
    const a = await tasks.create(request());
    const b = await tasks.create(request());
    await events.append(a.id, { kind: 'x', message: 'for a' });
    await events.append(b.id, { kind: 'x', message: 'for b' });
    expect((await events.list(a.id, { afterId: 'nonsense' })).map((e) => e.message)).toEqual(['for a']);
  });
});
