import type { Task } from '../task.js';

/** Cost already spent by an installation, for its monthly budget. */
export interface InstallationSpend {
  /** Sum of task costs of `installationId` since the start of the calendar month (UTC) of `now`. */
  monthToDateUsd(installationId: string, now?: Date): Promise<number>;
}

/** Finds running tasks whose worker stopped heartbeating. */
export interface StalledTasks {
  /**
   * Marks every running task whose heartbeat (or start, if it never beat) is older than
   * `thresholdMs` as failed with TASK_STALLED, atomically, and returns them (each exactly once).
   */
  markStalled(thresholdMs: number): Promise<Task[]>;
}
