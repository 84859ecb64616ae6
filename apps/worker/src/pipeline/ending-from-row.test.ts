import type { Task } from '@agent-bot/contracts';
import { describe, expect, it } from 'vitest';
import { finalBodyFromRow, finalReportOf, unsuccessfulEndingOf } from './ending-from-row.js';
import { stalledBody } from './tracking-comment.js';

const base: Task = {
  id: '0b6c1a52-4a49-4c1e-9d38-3f2d4b1c9a11',
  kind: 'fix',
  status: 'succeeded',
  priority: 'P2',
  source: 'github',
  prompt: 'x',
  title: null,
  repo: 'o/r',
  installationId: '1',
  requestedBy: 'alice',
  runner: 'claude-code',
  model: 'sonnet',
  botId: null,
  deliveryId: null,
  context: { issueNumber: 3 },
  attempts: 2,
  inputTokens: 1200,
  outputTokens: 345,
  costUsd: 0.0123,
  result: { summary: 'Fixed it.', pullRequestUrl: 'https://github.test/o/r/pull/9' },
  errorCode: null,
  errorMessage: null,
  createdAt: new Date(),
  startedAt: new Date(),
  finishedAt: new Date(),
  heartbeatAt: null,
  publishingAt: null,
  durationMs: 65_000,
};

describe('the ending a row describes', () => {
  it('a success: its summary, pull request and the usage of all its attempts', () => {
    expect(finalReportOf(base)).toMatchObject({
      ok: true,
      summary: 'Fixed it.',
      pullRequestUrl: 'https://github.test/o/r/pull/9',
      usage: { inputTokens: 1200, outputTokens: 345, costUsd: 0.0123 },
      runner: 'claude-code',
      model: 'sonnet',
    });
    const body = finalBodyFromRow(base, 'https://bot.test/', 300_000);
    expect(body).toContain('agent-bot finished');
    expect(body).toContain('| claude-code | sonnet | 1200 / 345 | $0.0123 | 1m 5s |');
    expect(unsuccessfulEndingOf(base)).toBeNull();
  });

  it('a failure and a cancel: the code, the message or the reason, and how to retry', () => {
    const failed = { ...base, status: 'failed', errorCode: 'TASK_TIMEOUT', errorMessage: 'task stopped: timeout' } as const;
    expect(finalBodyFromRow(failed, 'https://bot.test', 300_000)).toContain('agent-bot failed** (`TASK_TIMEOUT`)');
    expect(finalBodyFromRow(failed, 'https://bot.test', 300_000)).toContain('The time limit stopped it');
    expect(unsuccessfulEndingOf(failed)).toEqual({ kind: 'failed', code: 'TASK_TIMEOUT', message: 'task stopped: timeout' });
    const cancelled = { ...base, status: 'cancelled', errorCode: 'TASK_CANCELLED', errorMessage: 'cancelled by alice' } as const;
    expect(finalBodyFromRow(cancelled, 'https://bot.test', 300_000)).toContain('agent-bot was cancelled');
    expect(finalBodyFromRow(cancelled, 'https://bot.test', 300_000)).toContain('cancelled by alice');
    expect(unsuccessfulEndingOf(cancelled)).toEqual({ kind: 'cancelled', message: 'cancelled by alice' });
  });

  it('a stall verdict whose detector stopped before writing: the stall comment the detector writes', () => {
    const stalled = { ...base, status: 'failed', errorCode: 'TASK_STALLED', errorMessage: 'no heartbeat' } as const;
    expect(finalBodyFromRow(stalled, 'https://bot.test', 300_000)).toBe(stalledBody(stalled, 'https://bot.test', 300_000));
    expect(unsuccessfulEndingOf(stalled)).toMatchObject({ kind: 'stalled' });
  });
});
