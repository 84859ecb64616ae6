import type { GitHubResults, StalledTasks } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import { stalledBody, threadOf, trackingMarker } from './tracking-comment.js';

export interface StallDetectorOptions {
  stalled: StalledTasks;
  /** Where tracking comments live: ports, or a function asked per sweep (an app may appear later). */
  results?: GitHubResults | (() => Promise<GitHubResults | undefined>);
  logger: Logger;
  publicUrl: string;
  /** TASK_STALL_SECONDS in ms: a running task without a heartbeat for this long is stalled. */
  thresholdMs: number;
  intervalMs?: number;
  /** Told about each stalled task (live status, metrics). */
  onStalled?: (taskId: string, message: string) => Promise<void>;
}

/**
 * Finds running tasks whose worker stopped heartbeating, marks them failed (TASK_STALLED) and
 * rewrites their tracking comment with how to retry, so no comment stays on "working" forever.
 * Marking is one conditional UPDATE, so several workers running the detector each handle a task
 * at most once.
 */
export function startStallDetector(options: StallDetectorOptions): { sweep(): Promise<number>; stop(): void } {
  const sweep = async (): Promise<number> => {
    const tasks = await options.stalled.markStalled(options.thresholdMs);
    const source = options.results;
    const results: GitHubResults | undefined =
      typeof source === 'function' ? (tasks.length > 0 ? await source().catch(() => undefined) : undefined) : source;
    for (const task of tasks) {
      options.logger.warn({ taskId: task.id }, 'task stalled: no heartbeat');
      await options.onStalled?.(task.id, task.errorMessage ?? 'stalled').catch(() => undefined);
      const thread = threadOf(task);
      if (!thread || !results) continue;
      await results
        .upsertTrackingComment(thread, trackingMarker(task.id), stalledBody(task.id, options.publicUrl, options.thresholdMs))
        .catch((error: unknown) => options.logger.warn({ err: error, taskId: task.id }, 'stalled comment not written'));
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
