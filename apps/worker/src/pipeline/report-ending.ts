import { PermanentJobError, type Task, type TaskUsage, errorCodeOf } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import type { RunTaskDeps } from './pipeline-deps.js';
import { usageOf } from './ending-from-row.js';
import { replyToSource } from './reply-to-source.js';
import { type UnsuccessfulEnding, postInReviewThread, reviewThreadOf, unsuccessfulReplyBody } from './review-thread.js';
import type { Settled } from './settle-task.js';
import type { TaskReporter } from './task-reporter.js';
import type { FinalReport, TrackingComment } from './tracking-comment.js';

/** Where and with what an attempt reports its end. */
export interface EndingContext {
  deps: RunTaskDeps;
  task: Task;
  reporter: TaskReporter;
  tracker: TrackingComment | undefined;
  log: Logger;
  attempt: number;
  runner: string;
  model?: string;
  usage?: TaskUsage;
  durationMs: number;
}

/** What the attempt itself knows about its end; the row (Settled) decides which of it is told. */
export interface EndingDetails {
  summary: string;
  /** Said under the summary (a fork's pull request: why the change went to the default branch). */
  note?: string;
  pullRequestUrl?: string;
  /** The error code of a failure (the attempt's own, or the row's for a cancel). */
  code?: string;
}

/**
 * Tells everyone what the row says, in one order: the tracking comment, then the row records that
 * the ending was told (markEndingReported), then the replies, the task's log, the live status, the
 * metrics. Called only after settleTask wrote (or read) the row, so each of them can only repeat it.
 *
 * A worker that dies between the settle and the record leaves the ending to the ending sweep
 * (ending-sweep.ts), which writes the comment from the row. So does a comment that could not be
 * written (GitHub down): the replies link to that comment and are left to the sweep with it.
 * Whoever records the ending (this attempt or the sweep; the record is conditional) posts the
 * replies, so they are never posted twice; a worker that dies right after recording loses them.
 */
export async function reportEnding(ctx: EndingContext, settled: Settled, details: EndingDetails): Promise<void> {
  const { deps, task, reporter, tracker, runner, model, usage, durationMs } = ctx;
  // The comment shows what the task cost: the row's totals, which add earlier attempts and runs
  // (a retry, a job taken over from a dead worker) to this one. A cancel's row is not at hand: its own.
  const cost = settled.as === 'succeeded' || settled.as === 'failed' ? usageOf(settled.task) : usage;
  const report = { usage: cost, durationMs, runner, model };
  switch (settled.as) {
    case 'succeeded':
      // Its replies (review thread, source) went out before the settle, with the result.
      await recordTold(
        ctx,
        await finishComment(tracker, {
          ok: true,
          summary: details.summary,
          note: details.note,
          pullRequestUrl: details.pullRequestUrl,
          ...report,
        }),
      );
      await reporter.log('succeeded', details.summary, { ...usage, pullRequestUrl: details.pullRequestUrl });
      await reporter.status('succeeded');
      deps.metrics.tasksTotal.inc({ status: 'succeeded', runner });
      deps.metrics.taskDurationSeconds.observe({ status: 'succeeded', runner }, durationMs / 1000);
      return;
    case 'failed': {
      const code = details.code ?? 'INTERNAL';
      const written = await finishComment(tracker, { ok: false, summary: details.summary, errorCode: code, ...report });
      if (await recordTold(ctx, written)) {
        await tellReviewThread(ctx, { kind: 'failed', code, message: details.summary });
        await replyToSource(deps, task, reporter, `agent-bot failed (${code}): ${details.summary}`);
      }
      await reporter.log('failed', details.summary, { code });
      await reporter.status('failed', details.summary);
      deps.metrics.tasksTotal.inc({ status: 'failed', runner });
      deps.metrics.taskDurationSeconds.observe({ status: 'failed', runner }, durationMs / 1000);
      return;
    }
    case 'cancelled': {
      const written = await finishComment(tracker, {
        ok: false,
        cancelled: true,
        summary: settled.reason,
        errorCode: 'TASK_CANCELLED',
        ...report,
      });
      if (await recordTold(ctx, written)) {
        await tellReviewThread(ctx, { kind: 'cancelled', message: settled.reason });
        await replyToSource(deps, task, reporter, `agent-bot stopped: ${settled.reason}`);
      }
      await reporter.log('cancelled', settled.reason, { code: 'TASK_CANCELLED' });
      await reporter.status('cancelled', settled.reason);
      deps.metrics.tasksTotal.inc({ status: 'cancelled', runner });
      return;
    }
    case 'retrying':
      await reporter.log('retrying', `attempt ${ctx.attempt} failed: ${details.summary}`, { code: details.code });
      await reporter.status('queued', details.summary);
      tracker?.step(`Attempt ${ctx.attempt} failed (${details.code}); retrying`);
      return;
    case 'superseded':
      // Whoever settled the task (the stall detector, another worker) owns its comment: left as is.
      tracker?.discard();
      await reporter.log('superseded', `task is ${settled.status} (settled elsewhere); this attempt reports nothing`, {
        code: 'TASK_NOT_RUNNING',
      });
      return;
    default: {
      const exhaustive: never = settled;
      ctx.log.error({ settled: exhaustive }, 'unknown ending');
    }
  }
}

/** True when the final comment is written, or there is none to write (not a GitHub thread, no GitHub App). */
async function finishComment(tracker: TrackingComment | undefined, report: FinalReport): Promise<boolean> {
  return tracker ? tracker.finish(report) : true;
}

/**
 * Records on the row that the ending was told, once its comment was written; true when this
 * attempt recorded it (and so posts the replies). Left unrecorded when the comment was not written,
 * or when the record fails: the ending sweep then tells it (comment and replies) later.
 */
async function recordTold(ctx: EndingContext, written: boolean): Promise<boolean> {
  if (!written) {
    await ctx.reporter.log('ending.unreported', 'the final comment could not be written; the ending sweep will write it');
    return false;
  }
  try {
    return await ctx.deps.tasks.markEndingReported(ctx.task.id);
  } catch (error) {
    ctx.log.warn({ err: error }, 'ending not recorded as reported; the ending sweep will report it');
    return false;
  }
}

/**
 * A task asked for in a review thread that ends without a result says so there too (the success
 * path answers there with the result). Best effort, after the tracking comment it links to: the
 * task's outcome stands whatever happens here, and its log says what did.
 */
async function tellReviewThread(ctx: EndingContext, ending: Omit<UnsuccessfulEnding, 'detailsUrl'>): Promise<void> {
  const review = reviewThreadOf(ctx.task);
  const results = ctx.deps.github?.results;
  if (!review || !results || !ctx.tracker) return;
  const body = unsuccessfulReplyBody({ ...ending, detailsUrl: ctx.tracker.url ?? ctx.tracker.taskUrl });
  try {
    const url = await postInReviewThread(results, review, body);
    await ctx.reporter.log('reply.posted', 'answer posted in the review thread', { channel: 'review-thread', url });
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    ctx.log.warn({ err: error }, 'review-thread reply not posted');
    await ctx.reporter.log('reply.failed', `answer not posted in the review thread: ${message}`, {
      channel: 'review-thread',
      code: errorCodeOf(error),
    });
  }
}

/** What the job throws for an ending other than success: a cancel or a settled task is never retried. */
export function jobErrorFor(
  settled: Settled,
  error: unknown,
  failure: { code: string; message: string; final: boolean },
): unknown {
  const own = error instanceof PermanentJobError ? error.code : undefined;
  switch (settled.as) {
    case 'succeeded':
      return error;
    case 'failed':
      return failure.final && !(error instanceof PermanentJobError)
        ? new PermanentJobError(failure.code, failure.message, { cause: error })
        : error;
    case 'retrying':
      return error;
    case 'cancelled':
      return own === 'TASK_CANCELLED' ? error : new PermanentJobError('TASK_CANCELLED', settled.reason, { cause: error });
    case 'superseded':
      return own === 'TASK_NOT_RUNNING'
        ? error
        : new PermanentJobError(
            'TASK_NOT_RUNNING',
            `task is ${settled.status} (settled elsewhere); this attempt reports nothing`,
            {
              cause: error,
            },
          );
    default: {
      const exhaustive: never = settled;
      return exhaustive;
    }
  }
}
