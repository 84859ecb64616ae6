import {
  type EventBus,
  type GitHubResults,
  type Task,
  type TaskEventRepository,
  type TaskRepository,
  errorCodeOf,
} from '@agent-bot/contracts';
import type { Logger, Metrics } from '@agent-bot/observability';
import { finalBodyFromRow, unsuccessfulEndingOf } from './ending-from-row.js';
import type { RunTaskDeps } from './pipeline-deps.js';
import { replyToSource } from './reply-to-source.js';
import { postInReviewThread, reviewThreadOf, unsuccessfulReplyBody } from './review-thread.js';
import { TaskReporter } from './task-reporter.js';
import { threadOf, trackingMarker } from './tracking-comment.js';

export interface EndingSweepOptions {
  tasks: Pick<TaskRepository, 'claimUnreportedEndings' | 'markEndingReported'>;
  taskEvents: TaskEventRepository;
  events: EventBus;
  /** Where tracking comments live: ports, or a function asked per sweep (an app may appear later). */
  results?: GitHubResults | (() => Promise<GitHubResults | undefined>);
  /** Answers to Slack, Jira and Sentry, as the pipeline has them. */
  replies?: Pick<RunTaskDeps, 'replies' | 'repliesMissing'>;
  logger: Logger;
  metrics?: Pick<Metrics, 'taskEndingsSweptTotal'>;
  publicUrl: string;
  /** How long after its settle a task's own worker has to report it (TASK_STALL_SECONDS). */
  graceMs: number;
  /** How soon a task whose report failed (GitHub down) is tried again; default `graceMs`. */
  retryAfterMs?: number;
  /** A report still failing this long after the settle is given up (a deleted issue, a removed app); default 24 h. */
  giveUpAfterMs?: number;
  /** TASK_STALL_SECONDS in ms, which a stalled task's comment names. */
  stallThresholdMs: number;
  /** Tasks taken per sweep. */
  limit?: number;
}

const DAY_MS = 24 * 60 * 60_000;

/**
 * Tells the endings nobody told. The row is settled before anyone is told, so a worker that dies in
 * between (SIGKILL, OOM, host loss) leaves a final row and a comment saying "working"; the job's
 * next attempt finds the row final and reports nothing. Every sweep takes settled tasks whose
 * ending is not recorded as reported and that settled more than `graceMs` ago, in one statement (so
 * several workers sweeping at once take each once), and writes their final comment from the row.
 *
 * Whoever records the ending as reported first (the conditional markEndingReported) posts the
 * replies a failure or cancel owes (review thread, Slack, Jira, Sentry). A worker records right
 * after its comment and before its replies, so a task here had no reply posted yet and gets one
 * here, once; a slow worker that records first keeps them. A comment that cannot be written is
 * tried again after `retryAfterMs`, and given up `giveUpAfterMs` after the settle (at once when
 * GitHub answers 404: the issue or repository is gone), so such a task is not tried forever.
 */
export function createEndingSweep(options: EndingSweepOptions): { sweep(): Promise<number> } {
  const retryAfterMs = options.retryAfterMs ?? options.graceMs;
  const giveUpAfterMs = options.giveUpAfterMs ?? DAY_MS;
  const taskUrl = (id: string) => `${options.publicUrl.replace(/\/+$/, '')}/tasks/${id}`;

  /** The comment's URL when written (or the task page when there is none to write); undefined when it failed. */
  const writeComment = async (task: Task, results: GitHubResults | undefined): Promise<string | undefined> => {
    const thread = threadOf(task);
    if (!thread) return taskUrl(task.id);
    if (!results) throw new Error('no GitHub App is configured on this worker');
    const body = finalBodyFromRow(task, options.publicUrl, options.stallThresholdMs);
    return (await results.upsertTrackingComment(thread, trackingMarker(task.id), body)).url;
  };

  const tell = async (task: Task, results: GitHubResults | undefined): Promise<boolean> => {
    const log = options.logger.child({ taskId: task.id });
    let detailsUrl: string | undefined;
    try {
      detailsUrl = await writeComment(task, results);
    } catch (error) {
      const age = Date.now() - (task.finishedAt ?? task.createdAt).getTime();
      // The issue or repository is gone (or the app no longer sees it): no retry will find it.
      const gone = errorCodeOf(error) === 'GITHUB_NOT_FOUND';
      if (!gone && age < giveUpAfterMs) {
        log.warn({ err: error }, 'ending sweep: final comment not written; tried again later');
        options.metrics?.taskEndingsSweptTotal.inc({ outcome: 'retry' });
        return false;
      }
      if (!(await options.tasks.markEndingReported(task.id))) return false;
      const message = error instanceof Error ? error.message : String(error);
      log.warn({ err: error }, 'ending sweep: gave up on the final comment');
      await reporterFor(task).log(
        'ending.abandoned',
        gone
          ? `the final comment cannot be written (its issue or repository is gone); given up: ${message}`
          : `the final comment could not be written for ${Math.round(giveUpAfterMs / 3600_000)} h; given up: ${message}`,
      );
      options.metrics?.taskEndingsSweptTotal.inc({ outcome: 'gave_up' });
      return false;
    }
    // A slow worker (or another sweeper) recorded it first: the replies are theirs.
    if (!(await options.tasks.markEndingReported(task.id))) return false;
    const reporter = reporterFor(task);
    const unsuccessful = unsuccessfulEndingOf(task);
    if (unsuccessful) {
      const review = reviewThreadOf(task);
      if (review && results) {
        const body = unsuccessfulReplyBody({ ...unsuccessful, detailsUrl: detailsUrl ?? taskUrl(task.id) });
        await postInReviewThread(results, review, body)
          .then((url) => reporter.log('reply.posted', 'answer posted in the review thread', { url }))
          .catch(async (error: unknown) => {
            log.warn({ err: error }, 'ending sweep: review-thread reply not posted');
            await reporter.log('reply.failed', `answer not posted in the review thread: ${(error as Error).message}`);
          });
      }
      const text =
        unsuccessful.kind === 'cancelled'
          ? `agent-bot stopped: ${unsuccessful.message}`
          : `agent-bot failed (${unsuccessful.code ?? task.errorCode}): ${unsuccessful.message}`;
      await replyToSource({ ...options.replies, logger: options.logger, taskEvents: options.taskEvents }, task, reporter, text);
    }
    await reporter.log('ending.swept', `ending reported by the sweep after the worker stopped: the task ${task.status}`, {
      status: task.status,
      ...(threadOf(task) ? { commentUrl: detailsUrl } : {}),
    });
    await reporter.status(task.status as 'succeeded' | 'failed' | 'cancelled', task.errorMessage ?? undefined);
    log.info({ status: task.status }, 'ending sweep: ending reported from the row');
    options.metrics?.taskEndingsSweptTotal.inc({ outcome: 'reported' });
    return true;
  };

  const reporterFor = (task: Task) =>
    new TaskReporter({ taskEvents: options.taskEvents, events: options.events, logger: options.logger }, task.id);

  return {
    async sweep() {
      const tasks = await options.tasks.claimUnreportedEndings({
        graceMs: options.graceMs,
        retryAfterMs,
        limit: options.limit,
      });
      if (tasks.length === 0) return 0;
      const source = options.results;
      const results = typeof source === 'function' ? await source().catch(() => undefined) : source;
      let told = 0;
      for (const task of tasks) {
        const ok = await tell(task, results).catch((error: unknown) => {
          options.logger.warn({ err: error, taskId: task.id }, 'ending sweep failed for a task; tried again later');
          return false;
        });
        if (ok) told++;
      }
      return told;
    },
  };
}
