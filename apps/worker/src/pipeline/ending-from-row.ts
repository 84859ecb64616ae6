import type { Task, TaskUsage } from '@agent-bot/contracts';
import type { UnsuccessfulEnding } from './review-thread.js';
import { type FinalReport, finalCommentBody, stalledBody } from './tracking-comment.js';

/** What the task cost over all its attempts and runs: the row's totals. */
export function usageOf(task: Task): TaskUsage {
  return { inputTokens: task.inputTokens, outputTokens: task.outputTokens, costUsd: task.costUsd };
}

/**
 * What a settled task's row says about its ending, as the worker would have put it in the final
 * report: the summary, pull request and usage of a success, the code and message of a failure,
 * the reason of a cancel. What only the worker knew (the step list, a fork's note, this attempt's
 * own duration) is not in the row; the row's duration and usage cover all attempts.
 */
export function finalReportOf(task: Task): FinalReport {
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const common = {
    usage: usageOf(task),
    durationMs: task.durationMs ?? 0,
    runner: task.runner ?? text(task.result.runner),
    model: task.model ?? text(task.result.model),
  };
  switch (task.status) {
    case 'succeeded':
      return {
        ok: true,
        summary: text(task.result.summary) ?? 'Finished.',
        pullRequestUrl: text(task.result.pullRequestUrl),
        ...common,
      };
    case 'cancelled':
      return { ok: false, cancelled: true, summary: task.errorMessage ?? 'cancelled', errorCode: 'TASK_CANCELLED', ...common };
    default:
      return { ok: false, summary: task.errorMessage ?? 'failed', errorCode: task.errorCode ?? 'INTERNAL', ...common };
  }
}

/**
 * The final tracking comment for a settled task, from its row alone: the same body the worker (or,
 * for TASK_STALLED, the stall detector) writes. `stallThresholdMs` is TASK_STALL_SECONDS, which a
 * stalled task's comment names.
 */
export function finalBodyFromRow(task: Task, publicUrl: string, stallThresholdMs: number): string {
  if (task.status === 'failed' && task.errorCode === 'TASK_STALLED') return stalledBody(task, publicUrl, stallThresholdMs);
  const taskUrl = `${publicUrl.replace(/\/+$/, '')}/tasks/${task.id}`;
  return finalCommentBody({ taskId: task.id, taskUrl, report: finalReportOf(task) });
}

/** How a task that ended without a result tells its review thread; null for a success. */
export function unsuccessfulEndingOf(task: Task): Omit<UnsuccessfulEnding, 'detailsUrl'> | null {
  switch (task.status) {
    case 'cancelled':
      return { kind: 'cancelled', message: task.errorMessage ?? 'cancelled' };
    case 'failed':
      return task.errorCode === 'TASK_STALLED'
        ? { kind: 'stalled', message: task.errorMessage ?? 'stalled' }
        : { kind: 'failed', code: task.errorCode ?? 'INTERNAL', message: task.errorMessage ?? 'failed' };
    default:
      return null;
  }
}
