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
      attempt: 1,
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

  it("adds a stopped attempt's usage to a cancelled task, never changing its status", async () => {
    const task = await tasks.create(request());
    await tasks.markRunning(task.id, 1);
    await tasks.cancel(task.id, 'cancelled by alice');
    const usage = { inputTokens: 500, outputTokens: 60, costUsd: 0.2 };
    expect(await tasks.recordAttemptUsage(task.id, 1, usage)).toMatchObject({
      status: 'cancelled',
      errorMessage: 'cancelled by alice',
      inputTokens: 500,
      outputTokens: 60,
      costUsd: 0.2,
    });
    // Written again (a repeated settle), it is counted once.
    expect(await tasks.recordAttemptUsage(task.id, 1, usage)).toMatchObject({ costUsd: 0.2 });
    expect(await tasks.recordAttemptUsage(randomUUID(), 1, usage)).toBeNull();
  });

  describe('usage is the sum over attempts, each counted once', () => {
    const first = { inputTokens: 1000, outputTokens: 200, costUsd: 0.4 };
    const second = { inputTokens: 300, outputTokens: 50, costUsd: 0.15 };
    /** A task whose attempt 1 spent `first` and was retried: attempt 2 is running. */
    const retriedOnce = async () => {
      const task = await tasks.create(request());
      await tasks.markRunning(task.id, 1);
      await tasks.markRetrying(task.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'overloaded', usage: first });
      await tasks.markRunning(task.id, 2);
      return task;
    };

    it('a retried attempt and the one that succeeded are summed', async () => {
      const task = await tasks.create(request());
      await tasks.markRunning(task.id, 1);
      expect(
        await tasks.markRetrying(task.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'overloaded', usage: first }),
      ).toMatchObject({ status: 'queued', inputTokens: 1000, outputTokens: 200, costUsd: 0.4 });
      await tasks.markRunning(task.id, 2);
      expect(await tasks.markSucceeded(task.id, { attempt: 2, usage: second, result: {} })).toMatchObject({
        status: 'succeeded',
        inputTokens: 1300,
        outputTokens: 250,
        costUsd: 0.55,
      });
    });

    it('a retried attempt and the one that failed are summed', async () => {
      const task = await retriedOnce();
      // Less than the first attempt: keeping the greater of the two would say 0.4.
      expect(
        await tasks.markFailed(task.id, { attempt: 2, code: 'RUNNER_FAILED', message: 'again', usage: second }),
      ).toMatchObject({
        status: 'failed',
        inputTokens: 1300,
        costUsd: 0.55,
      });
    });

    it('the same attempt recorded twice counts once, with its latest figures', async () => {
      const task = await tasks.create(request());
      await tasks.markRunning(task.id, 1);
      await tasks.markRetrying(task.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'overloaded', usage: first });
      // A worker that redoes attempt 1's settle (it crashed after writing) does not add it again.
      await tasks.recordAttemptUsage(task.id, 1, first);
      await tasks.markRunning(task.id, 2);
      await tasks.markSucceeded(task.id, { attempt: 2, usage: second });
      expect(await tasks.recordAttemptUsage(task.id, 2, second)).toMatchObject({ inputTokens: 1300, costUsd: 0.55 });
      // A write without usage leaves the attempt's figures alone.
      expect(await tasks.markFailed(task.id, { attempt: 2, code: 'X', message: 'late' })).toBeNull();
      expect(await tasks.get(task.id)).toMatchObject({
        status: 'succeeded',
        inputTokens: 1300,
        outputTokens: 250,
        costUsd: 0.55,
      });
    });

    it('a task cancelled after a retried attempt costs both attempts', async () => {
      const task = await retriedOnce();
      await tasks.cancel(task.id, 'cancelled by alice');
      expect(await tasks.recordAttemptUsage(task.id, 2, second)).toMatchObject({
        status: 'cancelled',
        inputTokens: 1300,
        outputTokens: 250,
        costUsd: 0.55,
      });
      // The settle path and the cancelled-usage record both write attempt 2: still once.
      expect(await tasks.recordAttemptUsage(task.id, 2, second)).toMatchObject({ costUsd: 0.55 });
    });

    it('an attempt whose task was settled elsewhere first still counts, without changing the status', async () => {
      const task = await retriedOnce();
      // The stall detector fails it (it knows no usage); the slow worker then reports its attempt.
      await db.sql`update tasks set status = 'failed', error_code = 'TASK_STALLED' where id = ${task.id}`;
      expect(await tasks.markSucceeded(task.id, { attempt: 2, usage: second, result: { summary: 'late' } })).toBeNull();
      expect(await tasks.get(task.id)).toMatchObject({ status: 'failed', errorCode: 'TASK_STALLED', costUsd: 0.55 });
    });

    it('attempts of one task recorded at the same moment are all counted', async () => {
      const task = await tasks.create(request());
      await tasks.markRunning(task.id, 1);
      const perAttempt = { inputTokens: 10, outputTokens: 1, costUsd: 0.01 };
      await Promise.all(Array.from({ length: 8 }, (_, i) => tasks.recordAttemptUsage(task.id, i + 1, perAttempt)));
      expect(await tasks.get(task.id)).toMatchObject({ inputTokens: 80, outputTokens: 8, costUsd: 0.08 });
    });
  });

  it('records retries and the final failure with its code', async () => {
    const task = await tasks.create(request());
    await tasks.markRunning(task.id, 1);
    await tasks.markRetrying(task.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'boom' });
    const retried = await tasks.get(task.id);
    expect(retried).toMatchObject({ status: 'queued', errorCode: 'RUNNER_FAILED', errorMessage: 'boom' });
    const second = await tasks.markRunning(task.id, 2);
    expect(second).toMatchObject({ status: 'running', attempts: 2, errorCode: null });
    const failed = await tasks.markFailed(task.id, { attempt: 2, code: 'RUNNER_FAILED', message: 'boom again' });
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
    const done = await tasks.markSucceeded(task.id, { attempt: 1, result: { pullRequestUrl: 'https://example.com/pr/2' } });
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
    await tasks.markRetrying(task.id, { attempt: 1, code: 'GITHUB_UNAVAILABLE', message: 'pull request not opened' });
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
    expect(await tasks.markFailed(cancelled.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'boom' })).toBeNull();
    expect(await tasks.markRetrying(cancelled.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'boom' })).toBeNull();
    expect(await tasks.markSucceeded(cancelled.id, { attempt: 1, result: { summary: 'late' } })).toBeNull();
    expect(await tasks.get(cancelled.id)).toMatchObject({ status: 'cancelled', errorMessage: 'cancelled by alice' });

    const stalled = await tasks.create(request());
    await tasks.markRunning(stalled.id, 1);
    expect(await tasks.markFailed(stalled.id, { attempt: 1, code: 'TASK_STALLED', message: 'no heartbeat' })).toMatchObject({
      status: 'failed',
    });
    expect(await tasks.markSucceeded(stalled.id, { attempt: 1, result: { summary: 'late' } })).toBeNull();
    expect(await tasks.markFailed(stalled.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'late' })).toBeNull();
    expect(await tasks.get(stalled.id)).toMatchObject({ status: 'failed', errorCode: 'TASK_STALLED' });

    const queued = await tasks.create(request());
    expect(await tasks.markFailed(queued.id, { attempt: 1, code: 'X', message: 'y' })).toBeNull();
    expect(await tasks.markFailed(randomUUID(), { attempt: 1, code: 'X', message: 'y' })).toBeNull();
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

  it("lists one kind of a task's events, past the length one page of list() returns", async () => {
    const task = await tasks.create(request());
    const other = await tasks.create(request());
    await events.append(task.id, { kind: 'reply.posted', message: 'first', data: { channel: 'slack' } });
    await db.sql`
      insert into task_events (task_id, kind, message)
      select ${task.id}, 'agent.log', 'line ' || n from generate_series(1, 1200) as n`;
    await events.append(task.id, { kind: 'reply.posted', message: 'second', data: { channel: 'jira' } });
    await events.append(other.id, { kind: 'reply.posted', message: 'not this task' });
    const found = await events.listOfKind(task.id, 'reply.posted');
    expect(found.map((e) => [e.message, e.data])).toEqual([
      ['first', { channel: 'slack' }],
      ['second', { channel: 'jira' }],
    ]);
    expect(await events.listOfKind(task.id, 'nothing')).toEqual([]);
  });
});
