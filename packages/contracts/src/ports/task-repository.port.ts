import type { ParsedTaskRequest, Task, TaskEvent, TaskResultLinks, TaskRun, TaskStatus, TaskUsage } from '../task.js';

export interface TaskListFilter {
  status?: TaskStatus;
  repo?: string;
  botId?: string;
  limit?: number;
  /** Keyset pagination: tasks created before this one. */
  before?: string;
}

/**
 * One execution of a task's attempt: `attempt` is the job's attempt number; `runId` tells apart
 * executions of the same attempt number (a job taken over after its worker died keeps its
 * attempt number, and both executions spent tokens). The worker makes a fresh one per execution.
 * Omitted: the attempt's run without an id (as recorded before run ids existed).
 */
export interface AttemptRun {
  attempt: number;
  runId?: string;
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
   *
   * Usage is counted per execution, whether or not the status changes: `usage` is what the run
   * (`attempt`, `runId`: see AttemptRun) spent so far, stored under (task, attempt, run id), and the
   * task's inputTokens, outputTokens and costUsd are the sum over its runs. The figures are
   * cumulative: writing a run again replaces its figures by the higher of old and new, each field
   * (counted once, never going backwards); leaving `usage` out leaves them alone. The tokens were
   * spent even when another writer settled the task first, so they count then too.
   */
  markSucceeded(
    id: string,
    outcome: AttemptRun & { usage?: TaskUsage; result?: TaskResultLinks & Record<string, unknown> },
  ): Promise<Task | null>;
  /** Running -> failed; null when no longer running. Usage as in markSucceeded. */
  markFailed(id: string, failure: AttemptRun & { code: string; message: string; usage?: TaskUsage }): Promise<Task | null>;
  /**
   * Running -> queued after a retryable failure, keeping the error for visibility; null when no
   * longer running. The failed attempt's usage is counted as in markSucceeded.
   */
  markRetrying(id: string, failure: AttemptRun & { code: string; message: string; usage?: TaskUsage }): Promise<Task | null>;
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
   * Records what one run has spent so far without touching the status: while the agent runs (so a
   * worker that dies mid-run has counted what it spent), for the attempt a cancel stopped (the API
   * cancels the row; the worker knows the tokens and cost only once the agent has stopped), and for
   * an attempt whose task was settled elsewhere first. Counted like the usage of markSucceeded: per
   * (task, attempt, run id), cumulative, so writing it again counts it once and never lowers it, and
   * summed with the task's other runs. `run` as a bare number is that attempt without a run id.
   * Returns the row with its new totals; null when the task is gone.
   */
  recordAttemptUsage(id: string, run: AttemptRun | number, usage: TaskUsage): Promise<Task | null>;
  /**
   * The task's runs with what each spent (why the task cost what it did), ordered by attempt and
   * then by when each run was first recorded. Empty when the task has spent nothing yet or is unknown.
   */
  listRuns(id: string): Promise<TaskRun[]>;
  /**
   * Records that a settled task's ending has been told: its tracking comment says how it ended
   * (or it has none to write). Until then the ending sweep may finish the report from the row
   * (claimUnreportedEndings). Conditional: true only for the one caller that moved the task from
   * unreported, so of a slow worker and the sweep reporting the same ending exactly one goes on to
   * post the replies. False when already recorded, not settled, or gone.
   */
  markEndingReported(id: string): Promise<boolean>;
  /**
   * Settled tasks whose ending nobody recorded as told, settled more than `graceMs` ago (their
   * worker had that long to report), at most `limit` (default 20), oldest first. Taken in one
   * statement that also hides each from every sweeper for `retryAfterMs`: several workers sweeping
   * at once take each task once, and one whose report failed (GitHub down) comes back at that pace
   * until markEndingReported is called. Running or queued tasks are never returned; a task cancelled
   * before any attempt started never needs a report (cancel() records it as told).
   */
  claimUnreportedEndings(options: { graceMs: number; retryAfterMs: number; limit?: number }): Promise<Task[]>;
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
  /**
   * The task's events of one kind, in order, however long its log: how a later attempt learns what
   * an earlier one did (e.g. the replies it posted before it died).
   */
  listOfKind(taskId: string, kind: string): Promise<TaskEvent[]>;
}
