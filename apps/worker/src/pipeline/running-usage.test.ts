import type { AttemptRun, TaskUsage } from '@agent-bot/contracts';
import { createLogger } from '@agent-bot/observability';
import { describe, expect, it } from 'vitest';
import { RunningUsage } from './running-usage.js';

/** A recorder whose writes finish when the test says, so "in flight" can be held open. */
function recorder() {
  const writes: { usage: TaskUsage; finish: (error?: Error) => void }[] = [];
  return {
    writes,
    tasks: {
      recordAttemptUsage: (_id: string, _run: AttemptRun | number, usage: TaskUsage) =>
        new Promise<null>((resolve, reject) => {
          writes.push({ usage, finish: (error) => (error ? reject(error) : resolve(null)) });
        }),
    },
  };
}

const tokens = (n: number): TaskUsage => ({ inputTokens: n, outputTokens: n, costUsd: 0 });
const settle = () => new Promise((resolve) => setTimeout(resolve, 5));
const logger = createLogger({ name: 't', level: 'silent' });
const run = { attempt: 1, runId: 'r1' };

describe('RunningUsage', () => {
  it('writes at once, keeps one write in flight and then writes only the latest figure', async () => {
    const r = recorder();
    const running = new RunningUsage({ tasks: r.tasks, taskId: 't', run, logger, minIntervalMs: 0 });
    running.offer(tokens(1));
    running.offer(tokens(2));
    running.offer(tokens(3));
    expect(r.writes.map((w) => w.usage.inputTokens)).toEqual([1]);
    r.writes[0]?.finish();
    await settle();
    expect(r.writes.map((w) => w.usage.inputTokens)).toEqual([1, 3]);
    r.writes[1]?.finish();
    await running.close();
    expect(r.writes).toHaveLength(2);
  });

  it('spaces writes by the interval, and close() writes the figure still waiting', async () => {
    const r = recorder();
    const running = new RunningUsage({ tasks: r.tasks, taskId: 't', run, logger, minIntervalMs: 60_000 });
    running.offer(tokens(1));
    r.writes[0]?.finish();
    await settle();
    running.offer(tokens(2));
    await settle();
    expect(r.writes).toHaveLength(1);
    const closing = running.close();
    await settle();
    expect(r.writes.map((w) => w.usage.inputTokens)).toEqual([1, 2]);
    r.writes[1]?.finish();
    await closing;
    running.offer(tokens(3));
    expect(r.writes).toHaveLength(2);
  });

  it('a failed write is tried again with the next figure, not on its own, and never throws', async () => {
    const r = recorder();
    const running = new RunningUsage({ tasks: r.tasks, taskId: 't', run, logger, minIntervalMs: 0 });
    running.offer(tokens(1));
    r.writes[0]?.finish(new Error('database down'));
    await settle();
    expect(r.writes).toHaveLength(1);
    running.offer(tokens(2));
    expect(r.writes.map((w) => w.usage.inputTokens)).toEqual([1, 2]);
    r.writes[1]?.finish(new Error('still down'));
    await settle();
    // close() tries the last figure once more.
    const closing = running.close();
    await settle();
    r.writes[2]?.finish();
    await closing;
    expect(r.writes.map((w) => w.usage.inputTokens)).toEqual([1, 2, 2]);
  });
});
