import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { REPO } from '../../worker/src/test-support/pipeline-harness.js';
import { type Stack, startStack } from './test-support/stack.js';
import {
  cancelThroughApi,
  eventKinds,
  jobEnded,
  taskHeldAtGate,
  taskThroughApi,
  trackingComments,
} from './test-support/task-probes.js';

let stack: Stack;

beforeEach(async () => {
  stack = await startStack();
});
afterEach(async () => {
  await stack.close();
});

const FAILURE = { errorCode: 'RUNNER_FAILED', summary: 'The model gave up on the typo.' };

/**
 * The agent failed and a cancel lands around the moment the worker records that. The row decides
 * (one conditional UPDATE each, only from running) and the comment, the API and the log follow it,
 * whichever came first: never "failed" in one place and "cancelled" in another.
 */
describe('a cancel around an agent failure', () => {
  it('lands after the agent failed, before the worker wrote it (unheard): cancelled in the row, the API, the comment and the log', async () => {
    const { h } = stack;
    // No cancel subscription and no heartbeat in the test's time: the worker learns of the cancel
    // only from the row when it writes the failure.
    const { runner, task } = await taskHeldAtGate(stack, {
      fail: FAILURE,
      overrides: { cancellations: undefined, heartbeatIntervalMs: 120_000 },
    });

    const response = await cancelThroughApi(stack, task.id);
    expect(response.statusCode).toBe(200);
    runner.open();

    const outcome = await jobEnded(stack, task.id);
    expect(outcome).toMatchObject({ failed: true });
    expect(outcome.failedReason).toMatch(/^TASK_CANCELLED: cancelled by /);
    expect(await h.tasks.get(task.id)).toMatchObject({ status: 'cancelled', errorCode: 'TASK_CANCELLED' });
    expect(await taskThroughApi(stack, task.id)).toMatchObject({ status: 'cancelled', error_code: 'TASK_CANCELLED' });
    const comments = trackingComments(stack, task.id);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('agent-bot was cancelled');
    expect(comments[0]?.body).not.toContain('agent-bot failed');
    const kinds = await eventKinds(stack, task.id);
    expect(kinds.at(-1)).toBe('cancelled');
    expect(kinds).not.toContain('failed');
    expect(h.remote.branches(REPO)).toEqual(['main']);
    expect(h.gh.violations()).toEqual([]);
  });

  it('lands while the worker writes the failure to GitHub: refused (already failed), failed everywhere', async () => {
    const { h } = stack;
    // No progress edits in the test's time: the only comment update is the final one, held below.
    const { runner, task } = await taskHeldAtGate(stack, { fail: FAILURE, overrides: { commentThrottleMs: 600_000 } });
    const hold = h.gh.hold('issues/update-comment');
    runner.open();
    await hold.arrived;

    const response = await cancelThroughApi(stack, task.id);
    expect(response.statusCode).toBe(409);
    expect(response.json()).toMatchObject({ error: { code: 'TASK_NOT_CANCELLABLE' } });
    hold.release();

    const outcome = await jobEnded(stack, task.id);
    expect(outcome.failedReason).toMatch(/^RUNNER_FAILED: /);
    expect(await h.tasks.get(task.id)).toMatchObject({ status: 'failed', errorCode: 'RUNNER_FAILED' });
    expect(await taskThroughApi(stack, task.id)).toMatchObject({ status: 'failed', error_code: 'RUNNER_FAILED' });
    const comments = trackingComments(stack, task.id);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('agent-bot failed');
    expect(comments[0]?.body).not.toContain('cancelled');
    const kinds = await eventKinds(stack, task.id);
    expect(kinds.at(-1)).toBe('failed');
    expect(kinds).not.toContain('cancelled');
    expect(h.gh.violations()).toEqual([]);
  });
});
