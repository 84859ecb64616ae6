import type { AgentRunner } from '@agent-bot/contracts';
import { PostgresTaskEventRepository, PostgresTaskRepository, createSql } from '@agent-bot/db';
import { createGitHubAdapters } from '@agent-bot/github';
import { createLogger, createMetrics } from '@agent-bot/observability';
import { RedisEventBus, createRedis } from '@agent-bot/queue';
import { TEST_REDIS_URL, waitFor } from '@agent-bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatedRunner } from '../test-support/gated-runner.js';
import { FIXED_GREET, type Harness, PUBLIC_URL, createHarness } from '../test-support/pipeline-harness.js';
import { createEndingSweep } from './ending-sweep.js';
import { trackingMarker } from './tracking-comment.js';
import { type WorkerChild, startWorkerChild } from '../test-support/worker-child-process.js';

/**
 * The window between the settle and the report: a worker process killed (SIGKILL) right after its
 * task's row was settled leaves the comment on "working", and the job's next attempt finds the row
 * final and tells nothing. The ending sweep writes the final comment from the row, once. Real
 * PostgreSQL, Redis, BullMQ, Octokit adapters; GitHub is the stand-in checked against
 * @octokit/openapi.
 */
let h: Harness;
let child: WorkerChild | undefined;
const closers: (() => Promise<unknown> | unknown)[] = [];
const silent = createLogger({ name: 't', level: 'silent' });

beforeEach(async () => {
  h = await createHarness({ lockDurationMs: 2000 });
});
afterEach(async () => {
  await child?.kill();
  child = undefined;
  for (const close of closers.splice(0).reverse()) await close();
  await h.close();
});

const ours = (taskId: string) => h.gh.state.comments.filter((c) => c.body.includes(trackingMarker(taskId)));
const commentEdits = () => h.gh.calls('issues/update-comment').length + h.gh.calls('issues/create-comment').length;
const endingReportedAt = async (taskId: string) =>
  (await h.db.sql<{ at: Date | null }[]>`select ending_reported_at as at from tasks where id = ${taskId}`)[0]?.at ?? null;
/** As if the task had been settled this long ago: its worker's grace period is over. */
const settledLongAgo = (taskId: string) =>
  h.db.sql`update tasks set finished_at = now() - interval '10 minutes' where id = ${taskId}`;

/** A sweep as a worker process wires it, on its own database pool (as another worker would be). */
function sweeper() {
  const sql = createSql({ url: h.db.url, poolSize: 2 });
  const publisher = createRedis(TEST_REDIS_URL, 'producer');
  const subscriber = createRedis(TEST_REDIS_URL, 'subscriber');
  const events = new RedisEventBus({ publisher, subscriber, prefix: h.prefix });
  closers.push(async () => {
    await events.close();
    publisher.disconnect();
    subscriber.disconnect();
    await sql.end({ timeout: 5 });
  });
  const metrics = createMetrics({ collectProcessMetrics: false });
  const sweep = createEndingSweep({
    tasks: new PostgresTaskRepository(sql),
    taskEvents: new PostgresTaskEventRepository(sql),
    events,
    results: createGitHubAdapters({ ...h.githubParams, baseUrl: h.githubParams.apiUrl, logger: silent }).results,
    logger: silent,
    metrics,
    publicUrl: PUBLIC_URL,
    graceMs: 5 * 60_000,
    stallThresholdMs: 5 * 60_000,
  });
  return { sweep: () => sweep.sweep(), metrics };
}

/** A worker process that dies by SIGKILL right after settling its task's row; resolves once it is ready. */
async function workerThatDiesAfterSettling(fail?: { errorCode: string; summary: string }): Promise<WorkerChild> {
  child = await startWorkerChild(h, { gated: { fail }, die: 'after-settle' });
  return child;
}

/** A worker that takes the dead worker's job over: it must find the task final and run nothing. */
const neverRuns: AgentRunner = {
  name: 'noop',
  // biome-ignore lint/correctness/useYield: it throws before it could yield
  async *run() {
    throw new Error('a settled task must not run again');
  },
};

describe('the ending sweep', () => {
  it('writes the final comment of a task whose worker died right after settling it succeeded: once, from the row', async () => {
    const { exited } = await workerThatDiesAfterSettling();
    const task = await h.createTask();
    await h.enqueue(task.id);
    expect(await exited).toBe('SIGKILL');

    const settled = await h.tasks.get(task.id);
    expect(settled).toMatchObject({ status: 'succeeded', inputTokens: 10, outputTokens: 5, costUsd: 0.001 });
    const pullRequestUrl = settled?.result.pullRequestUrl as string;
    expect(pullRequestUrl).toContain('/pull/');
    expect(ours(task.id)).toHaveLength(1);
    expect(ours(task.id)[0]?.body).toContain('working on this');
    expect(await endingReportedAt(task.id)).toBeNull();

    // The job's lock lapses and another worker takes it over: the row is final, so it tells nothing.
    await h.startWorker({ runners: { noop: neverRuns }, defaultRunner: 'noop' });
    await h.waitForFinal(task.id, 30_000);
    expect(ours(task.id)[0]?.body).toContain('working on this');

    const { sweep, metrics } = sweeper();
    // Within the grace period its own worker might still be writing it.
    expect(await sweep()).toBe(0);
    await settledLongAgo(task.id);
    const before = commentEdits();
    expect(await sweep()).toBe(1);
    expect(commentEdits()).toBe(before + 1);
    const comments = ours(task.id);
    expect(comments).toHaveLength(1);
    const body = comments[0]?.body ?? '';
    expect(body).toContain('agent-bot finished');
    expect(body).toContain('Changed src/greet.ts.');
    expect(body).toContain(`Pull request: ${pullRequestUrl}`);
    expect(body).toContain('| noop | - | 10 / 5 | $0.0010 |');
    expect(body).toContain(`${PUBLIC_URL}/tasks/${task.id}`);
    expect(await endingReportedAt(task.id)).toBeInstanceOf(Date);
    const log = await new PostgresTaskEventRepository(h.db.sql).list(task.id);
    expect(log.at(-1)).toMatchObject({
      kind: 'ending.swept',
      message: 'ending reported by the sweep after the worker stopped: the task succeeded',
    });
    expect(await metrics.registry.getSingleMetricAsString('agentbot_task_endings_swept_total')).toContain(
      'agentbot_task_endings_swept_total{outcome="reported"} 1',
    );

    // Told: the next sweeps leave it alone.
    expect(await sweep()).toBe(0);
    await h.db.sql`update tasks set ending_sweep_after = null where id = ${task.id}`;
    expect(await sweep()).toBe(0);
    expect(commentEdits()).toBe(before + 1);
    expect(h.gh.violations()).toEqual([]);
  }, 60_000);

  it('a failed review-thread task: two sweepers at once write its comment once and reply in its thread once', async () => {
    const { exited } = await workerThatDiesAfterSettling({ errorCode: 'RUNNER_FAILED', summary: 'The model gave up.' });
    const { task, replies } = await h.reviewCommentTask();
    await h.enqueue(task.id);
    expect(await exited).toBe('SIGKILL');
    expect(await h.tasks.get(task.id)).toMatchObject({ status: 'failed', errorCode: 'RUNNER_FAILED' });
    expect(ours(task.id)[0]?.body).toContain('working on this');
    expect(replies()).toHaveLength(0);

    await settledLongAgo(task.id);
    const before = commentEdits();
    const [a, b] = [sweeper(), sweeper()];
    const told = await Promise.all([a.sweep(), b.sweep()]);
    expect(told.sort()).toEqual([0, 1]);
    expect(commentEdits()).toBe(before + 1);
    const body = ours(task.id)[0]?.body ?? '';
    expect(body).toContain('agent-bot failed** (`RUNNER_FAILED`)');
    expect(body).toContain('The model gave up.');
    expect(body).toContain('mention the bot again');
    expect(replies()).toHaveLength(1);
    expect(replies()[0]?.body).toContain('agent-bot failed (`RUNNER_FAILED`): The model gave up.');
    expect(replies()[0]?.body).toContain(`#issuecomment-${ours(task.id)[0]?.id}`);
    const kinds = (await new PostgresTaskEventRepository(h.db.sql).list(task.id)).map((e) => e.kind);
    expect(kinds.slice(-2)).toEqual(['reply.posted', 'ending.swept']);
    expect(h.gh.violations()).toEqual([]);
  }, 60_000);

  it('never touches a task its worker told: a normally finished task keeps its comment', async () => {
    const runner = new GatedRunner({ 'src/greet.ts': FIXED_GREET });
    runner.open();
    await h.startWorker({ runners: { noop: runner }, defaultRunner: 'noop' });
    const task = await h.createTask();
    await h.enqueue(task.id);
    await h.waitForFinal(task.id);
    expect(await endingReportedAt(task.id)).toBeInstanceOf(Date);
    const body = ours(task.id)[0]?.body;
    expect(body).toContain('<summary>Steps</summary>');

    await settledLongAgo(task.id);
    const before = commentEdits();
    expect(await sweeper().sweep()).toBe(0);
    expect(commentEdits()).toBe(before);
    expect(ours(task.id)[0]?.body).toBe(body);
  });

  it('leaves a comment it cannot write (GitHub down) for a later sweep, which writes it', async () => {
    const task = await h.createTask();
    await h.tasks.markRunning(task.id, 1);
    await h.tasks.cancel(task.id, 'cancelled by alice');
    await settledLongAgo(task.id);
    const sql = createSql({ url: h.db.url, poolSize: 1 });
    closers.push(() => sql.end({ timeout: 5 }));
    const events = new RedisEventBus({
      publisher: createRedis(TEST_REDIS_URL, 'producer'),
      subscriber: createRedis(TEST_REDIS_URL, 'subscriber'),
      prefix: h.prefix,
    });
    closers.push(() => events.close());
    let down = true;
    const github = createGitHubAdapters({ ...h.githubParams, baseUrl: h.githubParams.apiUrl, logger: silent }).results;
    const sweep = createEndingSweep({
      tasks: new PostgresTaskRepository(sql),
      taskEvents: new PostgresTaskEventRepository(sql),
      events,
      results: async () => (down ? undefined : github),
      logger: silent,
      publicUrl: PUBLIC_URL,
      graceMs: 5 * 60_000,
      retryAfterMs: 1_000,
      stallThresholdMs: 5 * 60_000,
    });
    expect(await sweep.sweep()).toBe(0);
    expect(await endingReportedAt(task.id)).toBeNull();
    down = false;
    // Not before retryAfterMs: a failing report is retried at that pace, not at every sweep.
    expect(await sweep.sweep()).toBe(0);
    await waitFor('the retry pace', async () => (await sweep.sweep()) === 1, { timeoutMs: 5_000, intervalMs: 200 });
    expect(ours(task.id)[0]?.body).toContain('agent-bot was cancelled');
    expect(ours(task.id)[0]?.body).toContain('cancelled by alice');
    expect(await endingReportedAt(task.id)).toBeInstanceOf(Date);
  });

  it('gives up at once on a comment whose repository is gone (404), and says so on the task log', async () => {
    const task = await h.createTask({ repo: 'octo-org/deleted' });
    await h.tasks.markRunning(task.id, 1);
    await h.tasks.markFailed(task.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'boom' });
    await settledLongAgo(task.id);
    const { sweep, metrics } = sweeper();
    expect(await sweep()).toBe(0);
    expect(await endingReportedAt(task.id)).toBeInstanceOf(Date);
    const log = await new PostgresTaskEventRepository(h.db.sql).list(task.id);
    expect(log.at(-1)).toMatchObject({ kind: 'ending.abandoned', message: expect.stringContaining('is gone') });
    expect(await metrics.registry.getSingleMetricAsString('agentbot_task_endings_swept_total')).toContain(
      'agentbot_task_endings_swept_total{outcome="gave_up"} 1',
    );
  });
});
