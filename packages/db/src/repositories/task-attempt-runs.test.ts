import { randomUUID } from 'node:crypto';
import { taskRequestSchema } from '@agent-bot/contracts';
import { createTestDatabase, type TestDatabase } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresTaskRepository } from './postgres-task-repository.js';

/**
 * Usage per run (one execution of an attempt): written as the agent goes, so a worker that dies
 * mid-run has counted its spend, and kept per run id, so a job taken over under the same attempt
 * number counts both executions. Migration 0090.
 */
let db: TestDatabase;
let tasks: PostgresTaskRepository;

beforeAll(async () => {
  db = await createTestDatabase();
  tasks = new PostgresTaskRepository(db.sql);
});
afterAll(() => db.drop());

async function runningTask() {
  const task = await tasks.create(taskRequestSchema.parse({ kind: 'fix', priority: 'P1', source: 'api', prompt: 'x' }));
  await tasks.markRunning(task.id, 1);
  return task;
}

const spent = (inputTokens: number, outputTokens: number, costUsd = 0) => ({ inputTokens, outputTokens, costUsd });

async function runRows(taskId: string) {
  return db.sql<{ attempt: number; run_id: string; input_tokens: number; output_tokens: number; cost_usd: number }[]>`
    select attempt, run_id, input_tokens::int as input_tokens, output_tokens::int as output_tokens, cost_usd::float8 as cost_usd
    from task_attempt_usage where task_id = ${taskId} order by recorded_at, run_id`;
}

describe('usage per run', () => {
  it("a run's cumulative figures replace each other and never go backwards", async () => {
    const task = await runningTask();
    const run = { attempt: 1, runId: randomUUID() };
    expect(await tasks.recordAttemptUsage(task.id, run, spent(100, 10))).toMatchObject({ inputTokens: 100, outputTokens: 10 });
    expect(await tasks.recordAttemptUsage(task.id, run, spent(300, 30))).toMatchObject({ inputTokens: 300, outputTokens: 30 });
    // A running figure that lands late (after a larger one) changes nothing.
    expect(await tasks.recordAttemptUsage(task.id, run, spent(200, 20))).toMatchObject({ inputTokens: 300, outputTokens: 30 });
    // The verdict carries the final figures, with the price the running ones did not have.
    expect(await tasks.markSucceeded(task.id, { ...run, usage: spent(300, 35, 0.4), result: {} })).toMatchObject({
      status: 'succeeded',
      inputTokens: 300,
      outputTokens: 35,
      costUsd: 0.4,
    });
    // And a running write racing the verdict cannot take the price or tokens back.
    expect(await tasks.recordAttemptUsage(task.id, run, spent(300, 30))).toMatchObject({ outputTokens: 35, costUsd: 0.4 });
    expect(await runRows(task.id)).toEqual([
      { attempt: 1, run_id: run.runId, input_tokens: 300, output_tokens: 35, cost_usd: 0.4 },
    ]);
  });

  it('two executions of the same attempt number (a job taken over after its worker died) both count', async () => {
    const task = await runningTask();
    const dead = { attempt: 1, runId: randomUUID() };
    const takeover = { attempt: 1, runId: randomUUID() };
    // The dead worker wrote its running figures, then was killed: no verdict from it.
    await tasks.recordAttemptUsage(task.id, dead, spent(1200, 300));
    // The worker that took the job over marks it running again under the same attempt number.
    expect(await tasks.markRunning(task.id, 1)).toMatchObject({ status: 'running', attempts: 1 });
    await tasks.recordAttemptUsage(task.id, takeover, spent(1200, 300));
    expect(await tasks.markSucceeded(task.id, { ...takeover, usage: spent(3600, 900, 0.05), result: {} })).toMatchObject({
      inputTokens: 4800,
      outputTokens: 1200,
      costUsd: 0.05,
    });
    const rows = await runRows(task.id);
    expect(rows.map((r) => [r.run_id, r.input_tokens])).toEqual([
      [dead.runId, 1200],
      [takeover.runId, 3600],
    ]);
  });

  it('totals are the sum over runs and attempts, also when runs write at the same moment', async () => {
    const task = await runningTask();
    const runs = [
      { attempt: 1, runId: randomUUID() },
      { attempt: 1, runId: randomUUID() },
      { attempt: 2, runId: randomUUID() },
    ];
    // Each run writes a growing series concurrently with the others; only each run's highest counts.
    await Promise.all(
      runs.flatMap((run) => [1, 2, 3, 4].map((n) => tasks.recordAttemptUsage(task.id, run, spent(n * 10, n, n / 100)))),
    );
    // A write naming the attempt alone (no run id) is one more run of its own.
    await tasks.recordAttemptUsage(task.id, 2, spent(5, 1, 0.01));
    expect(await tasks.get(task.id)).toMatchObject({ inputTokens: 125, outputTokens: 13, costUsd: 0.13 });
    const [sums] = await db.sql<{ input: number; output: number }[]>`
      select sum(input_tokens)::int as input, sum(output_tokens)::int as output from task_attempt_usage where task_id = ${task.id}`;
    expect(sums).toEqual({ input: 125, output: 13 });
  });

  it('lists the runs by attempt, then by when each was first recorded, whatever their ids and later writes', async () => {
    const task = await runningTask();
    // Ids chosen so that ordering by run id, or by the last write, would give the wrong order.
    const first = { attempt: 1, runId: 'zz-first' };
    const second = { attempt: 1, runId: 'aa-second' };
    const retry = { attempt: 2, runId: 'mm-retry' };
    await tasks.recordAttemptUsage(task.id, first, spent(100, 10, 0.01));
    await tasks.recordAttemptUsage(task.id, second, spent(200, 20, 0.02));
    await tasks.recordAttemptUsage(task.id, first, spent(150, 15, 0.015));
    await tasks.recordAttemptUsage(task.id, retry, spent(300, 30, 0.03));

    const runs = await tasks.listRuns(task.id);
    expect(
      runs.map(({ attempt, runId, inputTokens, outputTokens, costUsd }) => ({
        attempt,
        runId,
        inputTokens,
        outputTokens,
        costUsd,
      })),
    ).toEqual([
      { attempt: 1, runId: 'zz-first', inputTokens: 150, outputTokens: 15, costUsd: 0.015 },
      { attempt: 1, runId: 'aa-second', inputTokens: 200, outputTokens: 20, costUsd: 0.02 },
      { attempt: 2, runId: 'mm-retry', inputTokens: 300, outputTokens: 30, costUsd: 0.03 },
    ]);
    // The first run was written again after the second began: its last write is later, its first is not.
    const [firstRun, secondRun] = runs;
    expect(firstRun?.firstRecordedAt.getTime()).toBeLessThanOrEqual(secondRun?.firstRecordedAt.getTime() ?? 0);
    expect(firstRun?.recordedAt.getTime()).toBeGreaterThanOrEqual(secondRun?.recordedAt.getTime() ?? Infinity);
    expect(await tasks.listRuns(randomUUID())).toEqual([]);
    expect(await tasks.listRuns('not-a-uuid')).toEqual([]);
  });
});
