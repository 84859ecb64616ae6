import type { Task } from '../task.js';

/** Cost already spent by an installation, for its monthly budget. */
export interface InstallationSpend {
  /** Sum of task costs of `installationId` since the start of the calendar month (UTC) of `now`. */
  monthToDateUsd(installationId: string, now?: Date): Promise<number>;
}

/** Finds running tasks whose worker stopped heartbeating. */
export interface StalledTasks {
  /**
   * Running tasks past the point of no return (publishing) whose heartbeat (or start) is older than
   * `thresholdMs`. markStalled leaves them alone unless named: whether one may be failed depends on
   * whether a worker can still take its job over, which the caller asks the queue.
   */
  stalledPublishing(thresholdMs: number): Promise<Task[]>;
  /**
   * Marks every running task whose heartbeat (or start, if it never beat) is older than
   * `thresholdMs` as failed with TASK_STALLED, atomically, and returns them (each exactly once).
   * Tasks that started publishing are skipped unless listed in `publishing` (and still stale).
   */
  markStalled(thresholdMs: number, options?: { publishing?: string[] }): Promise<Task[]>;
}
