import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { FIXED_GREET, REPO } from '../../worker/src/test-support/pipeline-harness.js';
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

/**
 * Publishing is the point of no return. These drive a cancel into the exact moment around it: the
 * agent is a GatedRunner (done, waiting to report) and the GitHub stand-in holds one answer of the
 * publish, so the cancel provably lands before or inside it, with no sleeps.
 */
describe('a cancel around publishing', () => {
  it.each([
    ['pulls/list', 'the branch is pushed, the pull request not yet opened'],
    ['pulls/create', 'GitHub opened the pull request, its answer is on the way'],
  ])(
    'lands while %s is held (%s): refused with 409 TASK_PUBLISHING, the task succeeds with its pull request',
    async (operation) => {
      const { h } = stack;
      const { runner, task } = await taskHeldAtGate(stack);
      const hold = h.gh.hold(operation);
      runner.open();
      await hold.arrived;
      // Mid-publish: the branch is on the remote; with pulls/create held, the pull request is open too.
      expect(h.remote.branches(REPO)).toContain(`agent-bot/${task.id}`);
      expect(h.gh.state.pulls).toHaveLength(operation === 'pulls/create' ? 1 : 0);

      const response = await cancelThroughApi(stack, task.id);
      expect(response.statusCode).toBe(409);
      expect(response.json()).toMatchObject({ error: { code: 'TASK_PUBLISHING' } });
      expect(response.json().error.message).toContain('can no longer be cancelled');
      // The API shows what is true: still running, publishing.
      expect(await taskThroughApi(stack, task.id)).toMatchObject({ status: 'running', error_code: null });
      expect((await taskThroughApi(stack, task.id)).publishing_at).toEqual(expect.any(String));

      hold.release();
      expect(await jobEnded(stack, task.id)).toMatchObject({ completed: true, failed: false });
      const done = await h.tasks.get(task.id);
      expect(done).toMatchObject({ status: 'succeeded', errorCode: null, errorMessage: null });
      // GitHub: one pull request from the task's branch, carrying the agent's change.
      expect(h.gh.state.pulls).toHaveLength(1);
      expect(h.gh.state.pulls[0]).toMatchObject({ head: `octo-org:agent-bot/${task.id}`, state: 'open' });
      expect(h.remote.show(REPO, `agent-bot/${task.id}`, 'src/greet.ts')).toBe(FIXED_GREET);
      // The task row, the API, the tracking comment and the log all say the same.
      const pullRequestUrl = done?.result.pullRequestUrl;
      expect(pullRequestUrl).toContain(`/pull/${h.gh.state.pulls[0]?.number}`);
      expect(await taskThroughApi(stack, task.id)).toMatchObject({ status: 'succeeded', result: { pullRequestUrl } });
      const comments = trackingComments(stack, task.id);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body).toContain('agent-bot finished');
      expect(comments[0]?.body).toContain(`Pull request: ${pullRequestUrl}`);
      expect(comments[0]?.body).not.toContain('cancelled');
      const kinds = await eventKinds(stack, task.id);
      expect(kinds).not.toContain('cancelled');
      expect(kinds.indexOf('publishing')).toBeGreaterThan(-1);
      expect(kinds.indexOf('cancel.refused')).toBeGreaterThan(kinds.indexOf('publishing'));
      expect(kinds.indexOf('changes.pushed')).toBeGreaterThan(kinds.indexOf('cancel.refused'));
      expect(kinds.at(-1)).toBe('succeeded');
      expect(h.gh.violations()).toEqual([]);
    },
  );

  it('lands after the agent finished but before publishing, unheard by the worker: nothing is pushed, the task is cancelled', async () => {
    const { h } = stack;
    // No cancel subscription and no heartbeat in the test's time: the cancel request on the bus
    // never reaches the agent, so only the point of no return can catch it.
    const { runner, task } = await taskHeldAtGate(stack, {
      overrides: { cancellations: undefined, heartbeatIntervalMs: 120_000 },
    });

    const response = await cancelThroughApi(stack, task.id);
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ task: { status: 'cancelled', publishing_at: null } });
    runner.open();

    const outcome = await jobEnded(stack, task.id);
    expect(outcome).toMatchObject({ failed: true });
    expect(outcome.failedReason).toMatch(/^TASK_CANCELLED: cancelled by /);
    expect(await h.tasks.get(task.id)).toMatchObject({ status: 'cancelled', errorCode: 'TASK_CANCELLED', publishingAt: null });
    expect(await taskThroughApi(stack, task.id)).toMatchObject({ status: 'cancelled', error_code: 'TASK_CANCELLED' });
    // Nothing reached GitHub but the comment saying so.
    expect(h.remote.branches(REPO)).toEqual(['main']);
    expect(h.gh.state.pulls).toHaveLength(0);
    expect(h.gh.calls('pulls/list')).toHaveLength(0);
    const comments = trackingComments(stack, task.id);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('agent-bot was cancelled');
    expect(comments[0]?.body).not.toContain('Pull request:');
    const kinds = await eventKinds(stack, task.id);
    expect(kinds.at(-1)).toBe('cancelled');
    for (const kind of ['publishing', 'changes.pushed', 'succeeded']) expect(kinds).not.toContain(kind);
    expect(h.gh.violations()).toEqual([]);
  });
});
