import { PostgresStalledTasks } from '@agent-bot/db';
import { createGitHubAdapters } from '@agent-bot/github';
import { createLogger } from '@agent-bot/observability';
import { waitFor } from '@agent-bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { GatedRunner } from '../test-support/gated-runner.js';
import { FIXED_GREET, type Harness, PUBLIC_URL, createHarness } from '../test-support/pipeline-harness.js';
import { startStallDetector } from './stall-detector.js';
import { trackingMarker } from './tracking-comment.js';

/**
 * A task asked for in a pull request review thread answers there whatever its end: the result on
 * success (pull-request-head.e2e), and on failure, cancel or stall one short reply linking to the
 * tracking comment. Real queue, worker and Octokit adapters; GitHub is the stand-in checked
 * against @octokit/openapi.
 */
let h: Harness;

beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await h.close();
});

/** A review comment mentioning the bot on pull request #5, and the task the gateway records for it. */
async function reviewCommentTask() {
  const { task, replies } = await h.reviewCommentTask();
  const tracking = () => h.gh.state.comments.find((c) => c.body.includes(trackingMarker(task.id)));
  return { task, replies, tracking };
}

describe('the review thread a task came from', () => {
  it('is told when the agent fails: one short reply with the code, the cause and a link to the tracking comment', async () => {
    const { task, replies, tracking } = await reviewCommentTask();
    const runner = new GatedRunner({}, { errorCode: 'RUNNER_FAILED', summary: 'The model gave up.\nLong details here.' });
    runner.open();
    await h.startWorker({ runners: { noop: runner }, defaultRunner: 'noop' });
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);

    expect(done).toMatchObject({ status: 'failed', errorCode: 'RUNNER_FAILED' });
    expect(tracking()?.body).toContain('agent-bot failed');
    expect(replies()).toHaveLength(1);
    const body = replies()[0]?.body ?? '';
    expect(body).toContain('agent-bot failed (`RUNNER_FAILED`): The model gave up.');
    expect(body).not.toContain('Long details here.');
    expect(body).toContain(`#issuecomment-${tracking()?.id}`);
    expect(h.gh.violations()).toEqual([]);
  });

  it('is told when the task is cancelled, with a link to the tracking comment', async () => {
    const { task, replies, tracking } = await reviewCommentTask();
    const runner = new GatedRunner({ 'src/greet.ts': FIXED_GREET });
    await h.startWorker({ runners: { noop: runner }, defaultRunner: 'noop' });
    await h.enqueue(task.id);
    await runner.reached;
    // As the API does; the worker stops the agent at its next heartbeat.
    await h.tasks.cancel(task.id, 'cancelled by alice');
    await waitFor('the reply in the review thread', () => replies().length > 0, { timeoutMs: 20_000 });

    expect(await h.tasks.get(task.id)).toMatchObject({ status: 'cancelled' });
    expect(tracking()?.body).toContain('agent-bot was cancelled');
    expect(replies()).toHaveLength(1);
    expect(replies()[0]?.body).toContain('agent-bot was cancelled: cancelled by alice');
    expect(replies()[0]?.body).toContain(`#issuecomment-${tracking()?.id}`);
    expect(h.gh.state.pulls.filter((p) => p.number !== 5)).toHaveLength(0);
    expect(h.gh.violations()).toEqual([]);
  });

  it('is told when the stall detector gives up on the task', async () => {
    const { task, replies, tracking } = await reviewCommentTask();
    await h.tasks.markRunning(task.id, 1);
    await h.db.sql`update tasks set heartbeat_at = now() - interval '10 minutes' where id = ${task.id}`;
    const logger = createLogger({ name: 't', level: 'silent' });
    const detector = startStallDetector({
      stalled: new PostgresStalledTasks(h.db.sql),
      tasks: h.tasks,
      jobs: h.queue,
      results: createGitHubAdapters({ ...h.githubParams, baseUrl: h.githubParams.apiUrl, logger }).results,
      logger,
      publicUrl: PUBLIC_URL,
      thresholdMs: 5 * 60_000,
      intervalMs: 60_000,
    });
    try {
      expect(await detector.sweep()).toBe(1);
    } finally {
      detector.stop();
    }
    expect(tracking()?.body).toContain('agent-bot stalled');
    expect(replies()).toHaveLength(1);
    expect(replies()[0]?.body).toContain('agent-bot stalled (`TASK_STALLED`): no heartbeat for more than 300 s');
    expect(replies()[0]?.body).toContain(`#issuecomment-${tracking()?.id}`);
    expect(h.gh.violations()).toEqual([]);
  });
});
