import type { ParsedTaskRequest, Task, TaskEvent, TaskStatus, TaskUsage, TaskResultLinks } from '../task.js';

export interface TaskListFilter {
  status?: TaskStatus;
  repo?: string;
  botId?: string;
  limit?: number;
  /** Keyset pagination: tasks created before this one. */
  before?: string;
}

export interface TaskRepository {
  /** Stores a queued task; throws AppError BOT_NOT_FOUND when `botId` names no bot. */
  create(request: ParsedTaskRequest): Promise<Task>;
  get(id: string): Promise<Task | null>;
  list(filter?: TaskListFilter): Promise<Task[]>;
  /** Moves a queued (or retried running) task to running and counts the attempt. Null if it is already final. */
  markRunning(id: string, attempt: number): Promise<Task | null>;
  /**
   * The end of an attempt is decided by the row, in one conditional UPDATE that only takes a
   * running task (like cancel() and startPublishing(), so of two racing writers exactly one wins).
   * Each returns the row it wrote, or null when the task was no longer running (cancelled, failed
   * by the stall detector, finished by another worker, gone): the caller then reads what the row
   * says and reports that, never its own view.
   */
  markSucceeded(
    id: string,
    outcome: { usage?: TaskUsage; result?: TaskResultLinks & Record<string, unknown> },
  ): Promise<Task | null>;
  /** Running -> failed; null when no longer running (see markSucceeded). */
  markFailed(id: string, failure: { code: string; message: string; usage?: TaskUsage }): Promise<Task | null>;
  /** Running -> queued after a retryable failure, keeping the error for visibility; null when no longer running. */
  markRetrying(id: string, failure: { code: string; message: string }): Promise<Task | null>;
  heartbeat(id: string): Promise<void>;
  /**
   * The point of no return before a task's result leaves the system: a running task is marked
   * publishing (and stays so across retries). Null when it is no longer running (cancelled,
   * finished elsewhere, gone). Atomic against cancel(): of the two, exactly one takes the task.
   */
  startPublishing(id: string): Promise<Task | null>;
  /**
   * Queued or running -> cancelled; null when the task is unknown, already final, or publishing
   * (see startPublishing).
   */
  cancel(id: string, reason: string): Promise<Task | null>;
  /**
   * Records the usage of the attempt a cancel stopped on the cancelled row (the API cancels the
   * row; the worker knows the tokens and cost only once the agent has stopped). Never changes the
   * status; like markFailed it keeps the greater of the stored and the given figures, so writing it
   * twice counts it once. Null when the task is not cancelled (retried since, or gone).
   */
  recordCancelledUsage(id: string, usage: TaskUsage): Promise<Task | null>;
}

export interface NewTaskEvent {
  kind: string;
  message: string;
  data?: Record<string, unknown>;
}

export interface TaskEventRepository {
  append(taskId: string, event: NewTaskEvent): Promise<TaskEvent>;
  /** Events in order; `afterId` resumes a stream without gaps or repeats. */
  list(taskId: string, options?: { afterId?: string; limit?: number }): Promise<TaskEvent[]>;
}
