import { waitFor } from '@agent-bot/testing';
import { TEST_ADMIN_TOKEN } from '../../../gateway/src/test-support/test-gateway.js';
import { trackingMarker } from '../../../worker/src/pipeline/tracking-comment.js';
import { GatedRunner } from '../../../worker/src/test-support/gated-runner.js';
import { FIXED_GREET } from '../../../worker/src/test-support/pipeline-harness.js';
import type { TaskRunProcessorDeps } from '../../../worker/src/processors/task-run.processor.js';
import type { Stack } from './stack.js';

/**
 * A worker whose agent fixes the greeting (or reports `fail`) but waits at the gate, and a task it
 * is running, held there: the moment each cancel test acts in. `runner.open()` lets it finish.
 */
export async function taskHeldAtGate(
  stack: Stack,
  options: { fail?: { errorCode: string; summary: string }; overrides?: Partial<TaskRunProcessorDeps> } = {},
) {
  const runner = new GatedRunner({ 'src/greet.ts': FIXED_GREET }, options.fail);
  await stack.h.startWorker({ runners: { noop: runner }, defaultRunner: 'noop', overrides: options.overrides });
  const task = await stack.h.createTask();
  await stack.h.enqueue(task.id);
  await runner.reached;
  return { runner, task };
}

/** What an operator's dashboard or CLI does: POST /api/tasks/:id/cancel as admin. */
export function cancelThroughApi(stack: Stack, taskId: string) {
  return stack.gw.app.inject({
    method: 'POST',
    url: `/api/tasks/${taskId}/cancel`,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
}

/** The task as the API (and so the dashboard and the CLI) shows it. */
export async function taskThroughApi(stack: Stack, taskId: string): Promise<Record<string, unknown>> {
  const response = await stack.gw.app.inject({
    method: 'GET',
    url: `/api/tasks/${taskId}`,
    headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
  });
  return (response.json() as { task: Record<string, unknown> }).task;
}

/** The kinds of the task's stored log, in order. */
export async function eventKinds(stack: Stack, taskId: string): Promise<string[]> {
  const rows = await stack.gw.db.sql<{ kind: string }[]>`select kind from task_events where task_id = ${taskId} order by id`;
  return rows.map((row) => row.kind);
}

/** The BullMQ job's end: which set holds it, and why it failed. */
export async function jobOutcome(stack: Stack, taskId: string) {
  const key = `${stack.gw.prefix}:agent-bot`;
  const [failed, completed, failedReason] = await Promise.all([
    stack.gw.redis.zscore(`${key}:failed`, taskId),
    stack.gw.redis.zscore(`${key}:completed`, taskId),
    stack.gw.redis.hget(`${key}:${taskId}`, 'failedReason'),
  ]);
  return { failed: failed !== null, completed: completed !== null, failedReason };
}

/** Waits until the BullMQ job has ended (completed or failed) and says how. */
export async function jobEnded(stack: Stack, taskId: string) {
  return waitFor(
    'the job to end',
    async () => {
      const outcome = await jobOutcome(stack, taskId);
      return outcome.failed || outcome.completed ? outcome : null;
    },
    { timeoutMs: 20_000, intervalMs: 50 },
  );
}

/** The task's tracking comments on the GitHub stand-in (there should be exactly one). */
export function trackingComments(stack: Stack, taskId: string) {
  return stack.h.gh.state.comments.filter((comment) => comment.body.includes(trackingMarker(taskId)));
}
