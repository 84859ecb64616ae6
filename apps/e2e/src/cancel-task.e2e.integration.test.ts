import { execFileSync } from 'node:child_process';
import { type AnthropicStandIn, startAnthropicStandIn, waitFor } from '@agent-bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trackingMarker } from '../../worker/src/pipeline/tracking-comment.js';
import { REPO } from '../../worker/src/test-support/pipeline-harness.js';
import { SleepRunner } from '../../worker/src/test-support/sleep-runner.js';
import { type Stack, startStack } from './test-support/stack.js';
import { cancelThroughApi, eventKinds as storedKinds, jobOutcome as outcomeOf } from './test-support/task-probes.js';

let stack: Stack;
let anthropic: AnthropicStandIn | undefined;

beforeEach(async () => {
  stack = await startStack();
});
afterEach(async () => {
  await anthropic?.close();
  anthropic = undefined;
  await stack.close();
});

const cancel = (taskId: string) => cancelThroughApi(stack, taskId);
const eventKinds = (taskId: string) => storedKinds(stack, taskId);
const jobOutcome = (taskId: string) => outcomeOf(stack, taskId);

/** Claude Code processes of this test (their allowed tools name its workspace directory). */
function claudeProcesses(workspaceDir: string): string[] {
  return execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' })
    .split('\n')
    .filter((line) => line.includes('claude') && line.includes(workspaceDir));
}

describe('cancelling a task', () => {
  it('stops the running Claude Code CLI at once: task cancelled, comment says so, no process left', async () => {
    // The model never answers: only a cancel (or the 60 s time limit) can end this run.
    anthropic = await startAnthropicStandIn({ script: [{ kind: 'hang' }] });
    const { h } = stack;
    await h.startWorker({
      runners: { 'claude-code': h.claudeRunner(anthropic.url) },
      defaultRunner: 'claude-code',
      // No heartbeat in the test's time: only the published cancel request can stop the agent.
      overrides: { heartbeatIntervalMs: 120_000 },
    });
    const { answer } = await stack.deliverMention();
    const taskId = answer.task_id;
    // The CLI is running and waiting on the model.
    await waitFor('the agent to call the model', async () => anthropic?.agentTurns().length || null, { timeoutMs: 20_000 });
    expect((await h.tasks.get(taskId))?.status).toBe('running');
    expect(claudeProcesses(h.workspaceDir).length).toBeGreaterThan(0);

    const cancelledAt = Date.now();
    const response = await cancel(taskId);
    expect(response.statusCode).toBe(200);
    await waitFor(
      'the worker to record the cancel',
      async () => ((await eventKinds(taskId)).includes('cancelled') ? true : null),
      {
        timeoutMs: 15_000,
        intervalMs: 50,
      },
    );
    // Stopped by the cancel, far inside the 60 s time limit.
    expect(Date.now() - cancelledAt).toBeLessThan(15_000);
    const task = await h.tasks.get(taskId);
    expect(task).toMatchObject({ status: 'cancelled', errorCode: 'TASK_CANCELLED', attempts: 1 });
    expect(task?.errorMessage).toContain('cancelled by');
    const kinds = await eventKinds(taskId);
    expect(kinds).not.toContain('failed');
    expect(kinds).not.toContain('retrying');
    // The whole process tree of the CLI is gone.
    expect(claudeProcesses(h.workspaceDir)).toEqual([]);
    // The thread says it was cancelled; nothing was pushed or opened.
    await waitFor(
      'the tracking comment to say cancelled',
      async () =>
        h.gh.state.comments.find((c) => c.body.includes(trackingMarker(taskId)) && c.body.includes('agent-bot was cancelled')) ??
        null,
      { timeoutMs: 5000 },
    );
    expect(h.gh.state.comments.filter((c) => c.body.includes(trackingMarker(taskId)))).toHaveLength(1);
    expect(h.gh.state.pulls).toHaveLength(0);
    expect(h.remote.branches(REPO)).toEqual(['main']);
    expect(h.gh.violations()).toEqual([]);
    // Not retried: the job failed permanently (attempts left would have put it back to waiting).
    await waitFor('the job to end', async () => ((await jobOutcome(taskId)).failed ? true : null), { timeoutMs: 5000 });
    expect((await jobOutcome(taskId)).failedReason).toMatch(/^TASK_CANCELLED: /);
    expect(anthropic.agentTurns()).toHaveLength(1);
  });

  it('a cancel the worker did not hear still stops the agent at its next heartbeat', async () => {
    const { h } = stack;
    await h.startWorker({ runners: { noop: new SleepRunner() }, defaultRunner: 'noop', overrides: { heartbeatIntervalMs: 300 } });
    // SleepRunner blocks for the prompt's duration (10 minutes) unless its signal aborts.
    const task = await h.createTask({ prompt: 'sleep:600000' });
    await h.enqueue(task.id);
    await waitFor('the runner to start', async () => ((await eventKinds(task.id)).includes('agent.log') ? true : null), {
      timeoutMs: 15_000,
    });
    // Cancelled in the database only, as if the request on the bus were lost.
    await h.tasks.cancel(task.id, 'cancelled by a lost message');
    await waitFor(
      'the worker to record the cancel',
      async () => ((await eventKinds(task.id)).includes('cancelled') ? true : null),
      {
        timeoutMs: 10_000,
        intervalMs: 50,
      },
    );
    expect(await h.tasks.get(task.id)).toMatchObject({ status: 'cancelled', errorCode: 'TASK_CANCELLED' });
    await waitFor('the job to end', async () => ((await jobOutcome(task.id)).failed ? true : null), { timeoutMs: 5000 });
    expect((await jobOutcome(task.id)).failedReason).toContain('cancelled by a lost message');
    const comment = h.gh.state.comments.find((c) => c.body.includes(trackingMarker(task.id)))?.body;
    expect(comment).toContain('agent-bot was cancelled');
    expect(comment).toContain('cancelled by a lost message');
  });

  it('a queued task cancelled before a worker takes it never starts', async () => {
    anthropic = await startAnthropicStandIn({ script: [{ kind: 'text', text: 'should not run' }] });
    const { h } = stack;
    // Delivered while no worker runs: the task waits in the queue.
    const { answer } = await stack.deliverMention();
    const taskId = answer.task_id;
    expect(answer.status).toBe('enqueued');
    expect((await cancel(taskId)).statusCode).toBe(200);
    await h.startWorker({ runners: { 'claude-code': h.claudeRunner(anthropic.url) }, defaultRunner: 'claude-code' });
    await waitFor('the worker to take and drop the job', async () => ((await jobOutcome(taskId)).completed ? true : null), {
      timeoutMs: 15_000,
      intervalMs: 50,
    });
    const task = await h.tasks.get(taskId);
    expect(task).toMatchObject({ status: 'cancelled', errorCode: 'TASK_CANCELLED', startedAt: null, attempts: 0 });
    // Its log says so (the worker that would have logged it never started it).
    expect(await eventKinds(taskId)).toEqual(['cancelled']);
    const [line] = await stack.gw.db.sql<[{ message: string }]>`select message from task_events where task_id = ${taskId}`;
    expect(line.message).toMatch(/^cancelled by /);
    expect(anthropic.requests).toHaveLength(0);
    expect(h.gh.state.comments).toHaveLength(0);
  });
});
