import { PostgresTaskEventRepository } from '@agent-bot/db';
import { type AnthropicStandIn, type AnthropicStep, startAnthropicStandIn } from '@agent-bot/testing';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { type Harness, createHarness } from '../test-support/pipeline-harness.js';

/**
 * An agent run that fails after some model answers has spent their tokens; the task's recorded
 * usage (what the monthly budget and the dashboard sum) must include them. The real Claude Code
 * CLI against the Messages API stand-in, which reports 1200 input and 300 output tokens per answer;
 * real queue, worker, PostgreSQL.
 */
let h: Harness;
let model: AnthropicStandIn | undefined;

beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await model?.close();
  model = undefined;
  await h.close();
});

/** Reads a file (one answer with usage), then `then` for the second answer. */
async function runFailing(then: AnthropicStep, timeoutMs = 60_000) {
  model = await startAnthropicStandIn({
    script: [{ kind: 'tool_use', name: 'Read', input: { file_path: join(h.worktree(), 'README.md') } }, then],
  });
  await h.startWorker({
    runners: { 'claude-code': h.claudeRunner(model.url) },
    defaultRunner: 'claude-code',
    overrides: { limits: { timeoutMs, maxCostUsd: 5, maxTokens: 1_000_000 } },
  });
  const task = await h.createTask();
  await h.enqueue(task.id);
  const done = await h.waitForFinal(task.id, 90_000);
  const attempts = await h.db.sql<{ attempt: number; input_tokens: number; output_tokens: number; cost_usd: number }[]>`
    select attempt, input_tokens::int as input_tokens, output_tokens::int as output_tokens, cost_usd::float8 as cost_usd from task_attempt_usage where task_id = ${task.id}`;
  return { done, attempts };
}

describe('what a failed agent run spent is recorded', () => {
  it("killed at the time limit while waiting on its second answer: the first answer's tokens, no invented cost", async () => {
    const { done, attempts } = await runFailing({ kind: 'hang' }, 10_000);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'TASK_TIMEOUT' });
    expect(done).toMatchObject({ inputTokens: 1200, outputTokens: 300, costUsd: 0 });
    expect(attempts).toEqual([{ attempt: 1, input_tokens: 1200, output_tokens: 300, cost_usd: 0 }]);
    const log = await new PostgresTaskEventRepository(h.db.sql).list(done.id, { limit: 5000 });
    expect(log.map((e) => e.message)).toContainEqual(expect.stringContaining('the CLI prices a run only in its result'));
  });

  it("a model API 500 on its second answer: the first answer's tokens and the price the CLI reported", async () => {
    const { done, attempts } = await runFailing({ kind: 'error', status: 500 });
    expect(done).toMatchObject({ status: 'failed', errorCode: 'MODEL_API_ERROR', inputTokens: 1200, outputTokens: 300 });
    expect(done.costUsd).toBeGreaterThan(0);
    expect(attempts).toEqual([{ attempt: 1, input_tokens: 1200, output_tokens: 300, cost_usd: done.costUsd }]);
  });
});
