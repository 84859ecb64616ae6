import type { GitHubResults, JobQueue, StalledTasks, Task } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import { postInReviewThread, reviewThreadOf, unsuccessfulReplyBody } from './review-thread.js';
import { stalledBody, threadOf, trackingMarker } from './tracking-comment.js';

export interface StallDetectorOptions {
  stalled: StalledTasks;
  /** Whether a task's job (its id is the task id) can still be taken over by a worker. */
  jobs: Pick<JobQueue, 'pending'>;
  /** Where tracking comments live: ports, or a function asked per sweep (an app may appear later). */
  results?: GitHubResults | (() => Promise<GitHubResults | undefined>);
  logger: Logger;
  publicUrl: string;
  /** TASK_STALL_SECONDS in ms: a running task without a heartbeat for this long is stalled. */
  thresholdMs: number;
  intervalMs?: number;
  /** Told about each stalled task (task log, live status, metrics). */
  onStalled?: (task: Task) => Promise<void>;
}

/**
 * Finds running tasks whose worker stopped heartbeating, marks them failed (TASK_STALLED) and
 * rewrites their tracking comment with how to retry, so no comment stays on "working" forever.
 * Marking is one conditional UPDATE, so several workers running the detector each handle a task
 * at most once.
 *
 * A task past the point of no return (publishing) is different: its branch may be pushed and its
 * pull request open, so failing it would contradict GitHub, and a worker that was only slow would
 * publish over the verdict. As long as its job is pending, the queue hands it to another worker
 * (a dead worker's lock expires), whose attempt publishes idempotently (the push replaces the
 * branch, the pull request is found by its head) and settles it as what happened. Only a task
 * whose job can no longer run (the queue gave up after it stalled twice, or it is gone) is failed,
 * and its comment says that publishing had started.
 */
export function startStallDetector(options: StallDetectorOptions): { sweep(): Promise<number>; stop(): void } {
  const abandonedWhilePublishing = async (): Promise<string[]> => {
    const abandoned: string[] = [];
    for (const task of await options.stalled.stalledPublishing(options.thresholdMs)) {
      // Unknown (the queue is unreachable) counts as pending: failing it is what must not happen by mistake.
      const pending = await options.jobs.pending(task.id).catch(() => true);
      if (pending)
        options.logger.info({ taskId: task.id }, 'stalled while publishing: left to the worker that takes its job over');
      else abandoned.push(task.id);
    }
    return abandoned;
  };

  const sweep = async (): Promise<number> => {
    const tasks = await options.stalled.markStalled(options.thresholdMs, { publishing: await abandonedWhilePublishing() });
    const source = options.results;
    const results: GitHubResults | undefined =
      typeof source === 'function' ? (tasks.length > 0 ? await source().catch(() => undefined) : undefined) : source;
    for (const task of tasks) {
      options.logger.warn({ taskId: task.id, publishing: task.publishingAt !== null }, 'task stalled: no heartbeat');
      await options.onStalled?.(task).catch(() => undefined);
      const thread = threadOf(task);
      if (!thread || !results) continue;
      const comment = await results
        .upsertTrackingComment(thread, trackingMarker(task.id), stalledBody(task, options.publicUrl, options.thresholdMs))
        .catch((error: unknown) => options.logger.warn({ err: error, taskId: task.id }, 'stalled comment not written'));
      // A task asked for in a review thread says so there too, linking to the comment.
      const review = reviewThreadOf(task);
      if (!review) continue;
      const detailsUrl = comment?.url ?? `${options.publicUrl.replace(/\/+$/, '')}/tasks/${task.id}`;
      await postInReviewThread(
        results,
        review,
        unsuccessfulReplyBody({ kind: 'stalled', message: task.errorMessage ?? 'stalled', detailsUrl }),
      ).catch((error: unknown) => options.logger.warn({ err: error, taskId: task.id }, 'stalled review-thread reply not posted'));
    }
    return tasks.length;
  };
  let running = false;
  const timer = setInterval(() => {
    if (running) return;
    running = true;
    sweep()
      .catch((error: unknown) => options.logger.warn({ err: error }, 'stall sweep failed'))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs ?? 30_000);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
