import type { GitHubResults, IssueThreadRef } from '@agent-bot/contracts';
import { createLogger } from '@agent-bot/observability';
import { waitFor } from '@agent-bot/testing';
import { describe, expect, it } from 'vitest';
import { TrackingComment, threadOf, trackingMarker } from './tracking-comment.js';

/** In-memory results port: records every upsert. */
function memoryResults(): GitHubResults & { writes: string[] } {
  const writes: string[] = [];
  return {
    writes,
    async upsertTrackingComment(_ref: IssueThreadRef, marker: string, body: string) {
      expect(body.startsWith(marker)).toBe(true);
      writes.push(body);
      return { commentId: 1, url: 'https://github.test/c/1' };
    },
    async openPullRequest() {
      throw new Error('unused');
    },
    async replyToReviewComment() {
      throw new Error('unused');
    },
    async defaultBranch() {
      return 'main';
    },
    async pullRequestHead() {
      throw new Error('unused');
    },
  };
}

const ref = { installationId: '1', repo: 'o/r', issueNumber: 3 };
const logger = createLogger({ name: 't', level: 'silent' });

describe('TrackingComment', () => {
  it('reports a cancelled task as cancelled, not failed, with who cancelled it', async () => {
    const results = memoryResults();
    const comment = new TrackingComment({ results, logger, publicUrl: 'https://bot.test', throttleMs: 0 }, ref, 'task-c');
    await comment.finish({
      ok: false,
      cancelled: true,
      summary: 'cancelled by admin',
      errorCode: 'TASK_CANCELLED',
      durationMs: 2000,
    });
    const final = results.writes.at(-1) ?? '';
    expect(final).toContain('🛑 **agent-bot was cancelled**');
    expect(final).not.toContain('agent-bot failed');
    expect(final).toContain('cancelled by admin');
    expect(final).toContain('its agent was stopped');
  });

  it('writes at once on start, folds fast steps into one throttled edit, always writes the final report', async () => {
    const results = memoryResults();
    const comment = new TrackingComment({ results, logger, publicUrl: 'https://bot.test/', throttleMs: 150 }, ref, 'task-9');
    await comment.start();
    expect(results.writes).toHaveLength(1);
    expect(results.writes[0]).toContain('https://bot.test/tasks/task-9');
    comment.step('Workspace ready');
    comment.step('Indexed 10 files');
    comment.step('Agent running (claude-code)');
    await waitFor('throttled edit', () => results.writes.length === 2);
    expect(results.writes[1]).toContain('- Workspace ready\n- Indexed 10 files\n- Agent running (claude-code)');
    comment.step('Agent changed files (Edit)');
    await comment.finish({
      ok: false,
      summary: 'stopped at the cost limit of $1 (TASK_MAX_COST_USD)',
      errorCode: 'TASK_BUDGET_COST',
      usage: { inputTokens: 1200, outputTokens: 300, costUsd: 1.02 },
      durationMs: 65_000,
      runner: 'claude-code',
      model: 'claude-x',
    });
    // The pending step edit was folded into the final report.
    expect(results.writes).toHaveLength(3);
    const final = results.writes[2] ?? '';
    expect(final).toContain('agent-bot failed');
    expect(final).toContain('`TASK_BUDGET_COST`');
    expect(final).toContain('The cost limit stopped it (TASK_MAX_COST_USD).');
    expect(final).toContain('mention the bot again');
    expect(final).toContain('| claude-code | claude-x | 1200 / 300 | $1.0200 | 1m 5s |');
    expect(comment.url).toBe('https://github.test/c/1');
  });

  it('finds the thread only for GitHub tasks with an issue number', () => {
    const base = { source: 'github', repo: 'o/r', installationId: '5', context: { issueNumber: 4 } };
    expect(threadOf(base as never)).toEqual({ installationId: '5', repo: 'o/r', issueNumber: 4 });
    expect(threadOf({ ...base, source: 'slack' } as never)).toBeNull();
    expect(threadOf({ ...base, context: {} } as never)).toBeNull();
    expect(trackingMarker('abc')).toBe('<!-- agent-bot:task:abc -->');
  });
});
