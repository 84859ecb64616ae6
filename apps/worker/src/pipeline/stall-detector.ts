import type { GitHubResults, JobQueue, StalledTasks, Task, TaskRepository } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import { postInReviewThread, reviewThreadOf, unsuccessfulReplyBody } from './review-thread.js';
import { stalledBody, threadOf, trackingMarker } from './tracking-comment.js';

export interface StallDetectorOptions {
  stalled: StalledTasks;
  /** Records a stalled task's ending as told once its comment says so (else the ending sweep tells it). */
  tasks: Pick<TaskRepository, 'markEndingReported'>;
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
  /**
   * Run after each stall sweep, in the same timer: the ending sweep (ending-sweep.ts), which tells
   * endings whose worker stopped after settling them (a stalled task's too, if this detector stopped
   * before writing its comment).
   */
  endings?: { sweep(): Promise<number> };
}

/**
 * Finds running tasks whose worker stopped heartbeating, marks them failed (TASK_STALLED) and
 * rewrites their tracking comment with how to retry, so no comment stays on "working" forever
 * (and, with `endings`, tells the endings of settled tasks whose worker stopped before telling).
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
      if (!thread) {
        await options.tasks.markEndingReported(task.id).catch(() => undefined);
        continue;
      }
      if (!results) continue;
      const comment = await results
        .upsertTrackingComment(thread, trackingMarker(task.id), stalledBody(task, options.publicUrl, options.thresholdMs))
        .catch((error: unknown) => options.logger.warn({ err: error, taskId: task.id }, 'stalled comment not written'));
      // Not written, or not recorded: the ending sweep writes the comment and the reply later.
      if (!comment || !(await options.tasks.markEndingReported(task.id).catch(() => false))) continue;
      // A task asked for in a review thread says so there too, linking to the comment.
      const review = reviewThreadOf(task);
      if (!review) continue;
      await postInReviewThread(
        results,
        review,
        unsuccessfulReplyBody({ kind: 'stalled', message: task.errorMessage ?? 'stalled', detailsUrl: comment.url }),
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
      .then(() => options.endings?.sweep())
      .catch((error: unknown) => options.logger.warn({ err: error }, 'ending sweep failed'))
      .finally(() => {
        running = false;
      });
  }, options.intervalMs ?? 30_000);
  timer.unref();
  return { sweep, stop: () => clearInterval(timer) };
}
