import { randomUUID } from 'node:crypto';
import {
  type AgentEvent,
  type AgentRunInput,
  type AgentRunner,
  type JobContext,
  type LiveEvent,
  liveChannels,
  PermanentJobError,
  type TaskUsage,
  taskRequestSchema,
} from '@agent-bot/contracts';
import { PostgresInstallationSpend, PostgresTaskEventRepository, PostgresTaskRepository } from '@agent-bot/db';
import { createLogger, createMetrics } from '@agent-bot/observability';
import { assertRedisReachable, createRedis, RedisEventBus } from '@agent-bot/queue';
import { createTestDatabase, TEST_REDIS_URL, type TestDatabase, uniqueRedisPrefix, waitFor } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createRunnerResolver } from '../runners/resolve-runner.js';
import { type RunTaskDeps, runTask } from './run-task.js';
import { startTaskCancellations } from './task-cancellations.js';

const publisher = createRedis(TEST_REDIS_URL, 'producer');
const subscriber = createRedis(TEST_REDIS_URL, 'subscriber');
const events = new RedisEventBus({ publisher, subscriber, prefix: uniqueRedisPrefix('runtask') });
let db: TestDatabase;
let tasks: PostgresTaskRepository;
let taskEvents: PostgresTaskEventRepository;

beforeAll(async () => {
  db = await createTestDatabase();
  tasks = new PostgresTaskRepository(db.sql);
  taskEvents = new PostgresTaskEventRepository(db.sql);
  await assertRedisReachable(publisher, TEST_REDIS_URL);
});
afterAll(async () => {
  await events.close();
  publisher.disconnect();
  await db.drop();
});

function scripted(name: string, script: (attempt: number) => AgentEvent[] | Error): AgentRunner & { calls: number } {
  const runner = {
    name,
    calls: 0,
    async *run(): AsyncIterable<AgentEvent> {
      runner.calls++;
      const outcome = script(runner.calls);
      if (outcome instanceof Error) throw outcome;
      yield* outcome;
    },
  };
  return runner;
}

const SUCCESS: AgentEvent = {
  kind: 'result',
  ok: true,
  summary: 'all good',
  usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01 },
};

/**
 * A runner that, its work done, lets `settle` change the task (as the API or the stall detector
 * would), then ends with `end`: a result (success by default) or an error it throws.
 */
function settlingBeforeResult(settle: () => Promise<unknown>, end: AgentEvent | Error = SUCCESS): AgentRunner {
  return {
    name: 'noop',
    async *run(): AsyncIterable<AgentEvent> {
      yield { kind: 'text', text: 'done editing' };
      await settle();
      if (end instanceof Error) throw end;
      yield end;
    },
  };
}

/**
 * A runner that works until it is stopped, then (as the Claude Code and Ollama runners do) ends
 * with a failed result carrying what it spent so far. `onWorking` runs once it is under way.
 */
function spendingUntilStopped(usage: TaskUsage, onWorking: () => Promise<unknown>): AgentRunner {
  return {
    name: 'noop',
    async *run(_input, signal): AsyncIterable<AgentEvent> {
      yield { kind: 'text', text: 'editing' };
      const stopped = new Promise((resolve) => signal.addEventListener('abort', resolve, { once: true }));
      await onWorking();
      await stopped;
      yield { kind: 'result', ok: false, summary: 'stopped: cancelled', errorCode: 'TASK_ABORTED', usage };
    },
  };
}

/** A runner that succeeds and keeps the limits each of its runs was given. */
function limitsRecorder(): { runner: AgentRunner; given: AgentRunInput['limits'][] } {
  const given: AgentRunInput['limits'][] = [];
  const runner: AgentRunner = {
    name: 'noop',
    async *run(input): AsyncIterable<AgentEvent> {
      given.push(input.limits);
      yield SUCCESS;
    },
  };
  return { runner, given };
}

function deps(runners: Record<string, AgentRunner>, defaultRunner?: string) {
  const metrics = createMetrics({ collectProcessMetrics: false });
  const value: RunTaskDeps = {
    tasks,
    taskEvents,
    events,
    logger: createLogger({ name: 'worker', level: 'silent' }),
    metrics,
    resolveRunner: createRunnerResolver(runners, defaultRunner),
    limits: { timeoutMs: 60_000, maxCostUsd: 5 },
  };
  return { deps: value, metrics };
}

function job(attempt: number, maxAttempts = 3): JobContext {
  return { jobId: randomUUID(), name: 'task.run', attempt, maxAttempts, signal: new AbortController().signal };
}

async function newTask(runner?: 'noop' | 'ollama', installationId?: string) {
  return tasks.create(
    taskRequestSchema.parse({ kind: 'answer', priority: 'P2', source: 'api', prompt: 'do it', runner, installationId }),
  );
}

async function listen(taskId: string) {
  const seen: LiveEvent[] = [];
  const unsubscribe = await events.subscribe(liveChannels.task(taskId), (event) => seen.push(event));
  return { seen, unsubscribe };
}

/** A cancelled task as every viewer sees it: the row, the stored log and the live status events. */
async function expectCancelledEverywhere(taskId: string, live: Awaited<ReturnType<typeof listen>>): Promise<void> {
  expect(await tasks.get(taskId)).toMatchObject({ status: 'cancelled', errorCode: 'TASK_CANCELLED', publishingAt: null });
  expect(await endingReported(taskId)).toBe(true);
  const kinds = (await taskEvents.list(taskId)).map((e) => e.kind);
  expect(kinds).toEqual(['started', 'agent.text', 'cancelled']);
  await waitFor('live events', () => live.seen.filter((e) => e.kind === 'task.status').length === 2);
  expect(live.seen.filter((e) => e.kind === 'task.status').map((e) => (e as { status: string }).status)).toEqual([
    'running',
    'cancelled',
  ]);
  await live.unsubscribe();
}

/** Whether the task's ending is recorded as told (else the ending sweep would tell it). */
async function endingReported(taskId: string): Promise<boolean> {
  const [row] = await db.sql<{ at: Date | null }[]>`select ending_reported_at as at from tasks where id = ${taskId}`;
  return row?.at instanceof Date;
}

describe('runTask', () => {
  it('runs a task to succeeded, writing events in order and publishing them live', async () => {
    const task = await newTask('noop');
    const live = await listen(task.id);
    const runner = scripted('noop', () => [
      { kind: 'log', message: 'cloning' },
      { kind: 'tool_call', name: 'Edit', input: { file: 'a.ts' } },
      { kind: 'tool_result', name: 'Edit', ok: true, summary: 'edited' },
      { kind: 'text', text: 'done editing' },
      { kind: 'result', ok: true, summary: 'all good', usage: { inputTokens: 10, outputTokens: 5, costUsd: 0.01 } },
    ]);
    const { deps: d, metrics } = deps({ noop: runner });
    await runTask(d, task.id, job(1));

    const stored = await tasks.get(task.id);
    expect(stored).toMatchObject({ status: 'succeeded', attempts: 1, inputTokens: 10, outputTokens: 5, costUsd: 0.01 });
    expect(await endingReported(task.id)).toBe(true);
    expect(stored?.result).toMatchObject({ summary: 'all good' });
    expect(stored?.durationMs).toBeGreaterThanOrEqual(0);
    const log = await taskEvents.list(task.id);
    expect(log.map((e) => e.kind)).toEqual([
      'started',
      'agent.log',
      'agent.tool_call',
      'agent.tool_result',
      'agent.text',
      'publishing',
      'succeeded',
    ]);
    expect(log.map((e) => Number(e.id))).toEqual([...log.map((e) => Number(e.id))].sort((a, b) => a - b));

    await waitFor('live events', () => live.seen.filter((e) => e.kind === 'task.status').length === 2);
    expect(live.seen.filter((e) => e.kind === 'task.log').map((e) => (e as { eventId: string }).eventId)).toEqual(
      log.map((e) => e.id),
    );
    expect(live.seen.filter((e) => e.kind === 'task.status').map((e) => (e as { status: string }).status)).toEqual([
      'running',
      'succeeded',
    ]);
    expect(await metrics.registry.getSingleMetricAsString('agentbot_tasks_total')).toContain(
      'status="succeeded",runner="noop"} 1',
    );
    await live.unsubscribe();
  });

  it('marks a failing attempt for retry, then fails the task on the last attempt', async () => {
    const task = await newTask('noop');
    const runner = scripted('noop', () => new Error('model overloaded'));
    const { deps: d } = deps({ noop: runner });

    await expect(runTask(d, task.id, job(1, 2))).rejects.toThrow('model overloaded');
    expect(await tasks.get(task.id)).toMatchObject({ status: 'queued', errorCode: 'INTERNAL', errorMessage: 'model overloaded' });
    expect(await endingReported(task.id)).toBe(false);

    await expect(runTask(d, task.id, job(2, 2))).rejects.toThrow('model overloaded');
    expect(await tasks.get(task.id)).toMatchObject({ status: 'failed', attempts: 2, errorMessage: 'model overloaded' });
    // Told by this attempt (it has no comment to write): the ending sweep never takes it.
    expect(await endingReported(task.id)).toBe(true);
    const kinds = (await taskEvents.list(task.id)).map((e) => e.kind);
    expect(kinds).toEqual(['started', 'retrying', 'started', 'failed']);
    expect(runner.calls).toBe(2);
  });

  it('a task that needed two attempts costs both: the retried attempt and the one that succeeded', async () => {
    const installationId = `inst-${randomUUID()}`;
    const task = await newTask('noop', installationId);
    const firstUsage: TaskUsage = { inputTokens: 1000, outputTokens: 200, costUsd: 0.4 };
    const runner = scripted('noop', (attempt) => [
      { kind: 'result', ok: true, summary: 'all good', usage: attempt === 1 ? firstUsage : SUCCESS.usage },
    ]);
    // Attempt 1's agent finishes, then the database drops out while its result is being published:
    // a retryable failure after the tokens were spent.
    let outages = 1;
    const flakyEvents: typeof taskEvents = Object.assign(Object.create(taskEvents), {
      append: async (taskId: string, event: Parameters<typeof taskEvents.append>[1]) => {
        if (event.kind === 'publishing' && outages-- > 0) throw new Error('connection terminated unexpectedly');
        return taskEvents.append(taskId, event);
      },
    });
    const { deps: d } = deps({ noop: runner });
    const monthlyBudget = { spend: new PostgresInstallationSpend(db.sql), limitUsd: 100 };
    const withOutage = { ...d, taskEvents: flakyEvents, monthlyBudget };

    await expect(runTask(withOutage, task.id, job(1, 3))).rejects.toThrow('connection terminated unexpectedly');
    expect(await tasks.get(task.id)).toMatchObject({ status: 'queued', inputTokens: 1000, costUsd: 0.4 });
    await runTask(withOutage, task.id, job(2, 3));
    expect(await tasks.get(task.id)).toMatchObject({
      status: 'succeeded',
      attempts: 2,
      inputTokens: 1010,
      outputTokens: 205,
      costUsd: 0.41,
    });
    expect(await monthlyBudget.spend.monthToDateUsd(installationId)).toBeCloseTo(0.41);
  });

  it("a retried task's next run may spend only what its earlier runs left of the task's limits", async () => {
    const task = await newTask('noop');
    // Attempt 1 (another run, another worker) spent $3.50 and 1,200 tokens.
    await tasks.recordAttemptUsage(
      task.id,
      { attempt: 1, runId: randomUUID() },
      { inputTokens: 1000, outputTokens: 200, costUsd: 3.5 },
    );
    const { runner, given } = limitsRecorder();
    const { deps: d } = deps({ noop: runner });
    await runTask({ ...d, limits: { timeoutMs: 60_000, maxCostUsd: 5, maxTokens: 10_000 } }, task.id, job(2));
    expect(given).toHaveLength(1);
    expect(given[0]?.maxCostUsd).toBeCloseTo(1.5, 6);
    expect(given[0]?.maxTokens).toBe(8800);
    const line = (await taskEvents.list(task.id)).find((e) => e.kind === 'limits');
    expect(line?.message).toBe(
      "earlier attempts spent part of this task's limits: this run may spend $1.5000 of its $5 and 8800 of its 10000 tokens",
    );
    expect(await tasks.get(task.id)).toMatchObject({ status: 'succeeded', costUsd: 3.51 });
  });

  it('a task whose earlier runs spent its whole cost limit fails with TASK_BUDGET_COST before its agent starts', async () => {
    const task = await newTask('noop');
    await tasks.recordAttemptUsage(
      task.id,
      { attempt: 1, runId: randomUUID() },
      { inputTokens: 1000, outputTokens: 200, costUsd: 5 },
    );
    const runner = scripted('noop', () => [SUCCESS]);
    const { deps: d } = deps({ noop: runner });
    await expect(runTask(d, task.id, job(2))).rejects.toThrow('already spent $5.0000 of its $5 limit (TASK_MAX_COST_USD)');
    expect(runner.calls).toBe(0);
    expect(await tasks.get(task.id)).toMatchObject({ status: 'failed', errorCode: 'TASK_BUDGET_COST', costUsd: 5 });
  });

  it('a first run gets the whole limit and no limits line', async () => {
    const task = await newTask('noop');
    const { runner, given } = limitsRecorder();
    const { deps: d } = deps({ noop: runner });
    await runTask(d, task.id, job(1));
    expect(given).toEqual([{ timeoutMs: 60_000, maxCostUsd: 5 }]);
    expect((await taskEvents.list(task.id)).map((e) => e.kind)).not.toContain('limits');
  });

  it('a runner that throws mid-run still costs what it said it spent: retried, then failed, both attempts counted', async () => {
    const task = await newTask('noop');
    const spent = (n: number): TaskUsage => ({ inputTokens: 100 * n, outputTokens: 10 * n, costUsd: 0, turns: 1 });
    const runner: AgentRunner = {
      name: 'noop',
      async *run(): AsyncIterable<AgentEvent> {
        yield { kind: 'usage', usage: spent(1) };
        yield { kind: 'text', text: 'working' };
        yield { kind: 'usage', usage: spent(2) };
        throw new Error('stream broke off');
      },
    };
    const { deps: d } = deps({ noop: runner });
    await expect(runTask(d, task.id, job(1, 2))).rejects.toThrow('stream broke off');
    expect(await tasks.get(task.id)).toMatchObject({ status: 'queued', inputTokens: 200, outputTokens: 20, costUsd: 0 });
    await expect(runTask(d, task.id, job(2, 2))).rejects.toThrow('stream broke off');
    expect(await tasks.get(task.id)).toMatchObject({ status: 'failed', inputTokens: 400, outputTokens: 40, costUsd: 0 });
    // Usage is counted, not logged line by line.
    expect((await taskEvents.list(task.id)).map((e) => e.kind)).toEqual([
      'started',
      'agent.text',
      'retrying',
      'started',
      'agent.text',
      'failed',
    ]);
  });

  it('what a running agent has spent is in the row before it ends, and the same attempt run again counts on its own', async () => {
    const task = await newTask('noop');
    let release = () => {};
    const gate = new Promise<void>((resolve) => {
      release = resolve;
    });
    const runner: AgentRunner = {
      name: 'noop',
      async *run(): AsyncIterable<AgentEvent> {
        yield { kind: 'usage', usage: { inputTokens: 100, outputTokens: 10, costUsd: 0 } };
        yield { kind: 'usage', usage: { inputTokens: 300, outputTokens: 30, costUsd: 0 } };
        await gate;
        yield { kind: 'result', ok: true, summary: 'done', usage: { inputTokens: 300, outputTokens: 35, costUsd: 0.4 } };
      },
    };
    const { deps: d } = deps({ noop: runner });
    const running = runTask({ ...d, usageWriteIntervalMs: 20 }, task.id, job(1));
    // Mid-run: the latest figure is written (a worker killed now would have counted it).
    await waitFor('the running usage in the row', async () => (await tasks.get(task.id))?.inputTokens === 300);
    expect(await tasks.get(task.id)).toMatchObject({ status: 'running', outputTokens: 30, costUsd: 0 });
    // The same attempt number run again by another execution (a job taken over) is a run of its own.
    const before = await db.sql<{ run_id: string }[]>`select run_id from task_attempt_usage where task_id = ${task.id}`;
    expect(before).toHaveLength(1);
    await tasks.recordAttemptUsage(
      task.id,
      { attempt: 1, runId: randomUUID() },
      { inputTokens: 50, outputTokens: 5, costUsd: 0 },
    );
    release();
    await running;
    expect(await tasks.get(task.id)).toMatchObject({ status: 'succeeded', inputTokens: 350, outputTokens: 40, costUsd: 0.4 });
    const rows = await db.sql<{ run_id: string; output_tokens: string }[]>`
      select run_id, output_tokens from task_attempt_usage where task_id = ${task.id} and run_id = ${before[0]?.run_id ?? ''}`;
    expect(rows.map((r) => Number(r.output_tokens))).toEqual([35]);
  });

  it('fails at once, without retry, when the runner is unavailable', async () => {
    const task = await newTask('ollama');
    const { deps: d } = deps({ noop: scripted('noop', () => []) }, 'noop');
    const error = await runTask(d, task.id, job(1, 3)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentJobError);
    expect(error).toMatchObject({ code: 'RUNNER_UNAVAILABLE' });
    expect(await tasks.get(task.id)).toMatchObject({
      status: 'failed',
      errorCode: 'RUNNER_UNAVAILABLE',
      errorMessage: expect.stringContaining('"ollama" is not available'),
    });
    // The message names the fix, as the chat and the dashboard show it as is.
    expect((await tasks.get(task.id))?.errorMessage).toContain('set OLLAMA_URL and OLLAMA_MODEL on the workers');
  });

  it('fails a task whose runner reports failure as permanent, keeping its usage', async () => {
    const task = await newTask('noop');
    const runner = scripted('noop', () => [
      {
        kind: 'result',
        ok: false,
        summary: 'cost limit reached',
        errorCode: 'TASK_BUDGET',
        usage: { inputTokens: 9, outputTokens: 9, costUsd: 5 },
      },
    ]);
    const { deps: d } = deps({ noop: runner });
    await expect(runTask(d, task.id, job(1, 3))).rejects.toBeInstanceOf(PermanentJobError);
    expect(await tasks.get(task.id)).toMatchObject({ status: 'failed', errorCode: 'TASK_BUDGET', costUsd: 5 });
  });

  it('does nothing for a task that already finished (a duplicate delivery)', async () => {
    const task = await newTask('noop');
    const runner = scripted('noop', () => [
      { kind: 'result', ok: true, summary: 'x', usage: { inputTokens: 0, outputTokens: 0, costUsd: 0 } },
    ]);
    const { deps: d } = deps({ noop: runner });
    await runTask(d, task.id, job(1));
    await runTask(d, task.id, job(1));
    expect(runner.calls).toBe(1);
    expect((await taskEvents.list(task.id)).filter((e) => e.kind === 'succeeded')).toHaveLength(1);
  });

  it('a cancel the worker did not hear, landing after the agent finished, ends the task cancelled: no success over it', async () => {
    const task = await newTask('noop');
    const live = await listen(task.id);
    // No cancel subscription and the heartbeat 10 s away: only the point of no return sees the cancel.
    const { deps: d } = deps({ noop: settlingBeforeResult(() => tasks.cancel(task.id, 'cancelled by alice')) });
    const error = await runTask(d, task.id, job(1)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TASK_CANCELLED', message: 'cancelled by alice' });
    await expectCancelledEverywhere(task.id, live);
  });

  it('a task settled elsewhere while its agent ran (the stall detector failed it) is left as it was', async () => {
    const task = await newTask('noop');
    const stalled = () => tasks.markFailed(task.id, { attempt: 1, code: 'TASK_STALLED', message: 'no heartbeat for 5 min' });
    const { deps: d } = deps({ noop: settlingBeforeResult(stalled) });
    const error = await runTask(d, task.id, job(1)).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(PermanentJobError);
    expect(error).toMatchObject({ code: 'TASK_NOT_RUNNING' });
    // The stall verdict stands, and what the late attempt's agent spent still counts.
    expect(await tasks.get(task.id)).toMatchObject({
      status: 'failed',
      errorCode: 'TASK_STALLED',
      publishingAt: null,
      costUsd: 0.01,
    });
    const kinds = (await taskEvents.list(task.id)).map((e) => e.kind);
    expect(kinds).toEqual(['started', 'agent.text', 'superseded']);
    // Whoever settled it tells it (or the ending sweep does): not this attempt.
    expect(await endingReported(task.id)).toBe(false);
  });

  it.each([
    [
      'the agent failed',
      { kind: 'result', ok: false, summary: 'the model gave up', errorCode: 'RUNNER_FAILED', usage: SUCCESS.usage } as AgentEvent,
      3,
    ],
    ['the agent threw and the attempt would be retried', new Error('model overloaded'), 3],
    ['the agent threw on the last attempt', new Error('model overloaded'), 1],
  ])(
    '%s while a cancel the worker did not hear landed: the task ends cancelled everywhere, never failed or retried',
    async (_, end, maxAttempts) => {
      const task = await newTask('noop');
      const live = await listen(task.id);
      const { deps: d } = deps({ noop: settlingBeforeResult(() => tasks.cancel(task.id, 'cancelled by alice'), end) });
      const error = await runTask(d, task.id, job(1, maxAttempts)).catch((caught: unknown) => caught);
      // Not retried: the job ends as the row did.
      expect(error).toBeInstanceOf(PermanentJobError);
      expect(error).toMatchObject({ code: 'TASK_CANCELLED', message: 'cancelled by alice' });
      await expectCancelledEverywhere(task.id, live);
    },
  );

  it('a failure is not written over a stall verdict that came first: the attempt reports nothing of its own', async () => {
    const task = await newTask('noop');
    const stalled = () => tasks.markFailed(task.id, { attempt: 1, code: 'TASK_STALLED', message: 'no heartbeat for 5 min' });
    const failure: AgentEvent = { kind: 'result', ok: false, summary: 'the model gave up', usage: SUCCESS.usage } as AgentEvent;
    const { deps: d } = deps({ noop: settlingBeforeResult(stalled, failure) });
    const error = await runTask(d, task.id, job(1)).catch((caught: unknown) => caught);
    expect(error).toMatchObject({ code: 'TASK_NOT_RUNNING' });
    expect(await tasks.get(task.id)).toMatchObject({
      status: 'failed',
      errorCode: 'TASK_STALLED',
      inputTokens: 10,
      costUsd: 0.01,
    });
    expect((await taskEvents.list(task.id)).map((e) => e.kind)).toEqual(['started', 'agent.text', 'superseded']);
  });

  it('a running task cancelled through the API keeps the usage its agent spent, and the monthly budget counts it', async () => {
    const installationId = `inst-${randomUUID()}`;
    const task = await newTask('noop', installationId);
    const spent: TaskUsage = { inputTokens: 1200, outputTokens: 300, costUsd: 0.75 };
    // What the API's cancel does: the row first, then the request every worker hears.
    const cancelLikeTheApi = async () => {
      await tasks.cancel(task.id, 'cancelled by alice');
      await events.publish(liveChannels.taskCancels, {
        kind: 'task.cancel_requested',
        taskId: task.id,
        reason: 'cancelled by alice',
        at: new Date().toISOString(),
      });
    };
    const cancellations = await startTaskCancellations({ events, logger: createLogger({ name: 'worker', level: 'silent' }) });
    const monthlyBudget = { spend: new PostgresInstallationSpend(db.sql), limitUsd: 0.5 };
    const { deps: d } = deps({ noop: spendingUntilStopped(spent, cancelLikeTheApi) });
    try {
      const error = await runTask({ ...d, cancellations, monthlyBudget }, task.id, job(1)).catch((caught: unknown) => caught);
      expect(error).toMatchObject({ code: 'TASK_CANCELLED', message: 'cancelled by alice' });
    } finally {
      await cancellations.close();
    }
    // Still cancelled, by alice, and now with what the stopped attempt cost.
    expect(await tasks.get(task.id)).toMatchObject({
      status: 'cancelled',
      errorCode: 'TASK_CANCELLED',
      errorMessage: 'cancelled by alice',
      inputTokens: 1200,
      outputTokens: 300,
      costUsd: 0.75,
    });
    // Recorded once: writing it again (a repeated settle of the same run) does not count it twice.
    const runs = await db.sql<{ run_id: string }[]>`select run_id from task_attempt_usage where task_id = ${task.id}`;
    expect(runs).toHaveLength(1);
    await tasks.recordAttemptUsage(task.id, { attempt: 1, runId: runs[0]?.run_id }, spent);
    expect(await monthlyBudget.spend.monthToDateUsd(installationId)).toBeCloseTo(0.75);

    // The next task of that installation meets a budget the cancelled work used up.
    const next = await newTask('noop', installationId);
    const { deps: n } = deps({ noop: scripted('noop', () => [SUCCESS]) });
    const refused = await runTask({ ...n, monthlyBudget }, next.id, job(1)).catch((caught: unknown) => caught);
    expect(refused).toMatchObject({ code: 'BUDGET_MONTHLY' });
    expect(await tasks.get(next.id)).toMatchObject({ status: 'failed', errorCode: 'BUDGET_MONTHLY' });
  });
});
