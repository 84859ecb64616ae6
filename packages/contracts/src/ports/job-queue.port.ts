import type { JobName, JobPayload } from '../job-catalog.js';
import type { Priority } from '../priority.js';

export interface EnqueueOptions {
  /** Stable id: the task id. A second enqueue with the same id while the job exists is a no-op. */
  jobId: string;
  priority: Priority;
  delayMs?: number;
  /**
   * The caller created this id a moment ago (a task id it just inserted), so no job can hold it:
   * the queue skips asking which ids exist. Adding an id that does exist is still a no-op; only
   * `deduplicated` would then be reported false.
   */
  fresh?: boolean;
}

export interface EnqueueResult {
  jobId: string;
  /** True when a job with this id already existed, so nothing new was queued. */
  deduplicated: boolean;
}

export type QueueState = 'waiting' | 'active' | 'delayed' | 'prioritized' | 'completed' | 'failed';
export type QueueDepth = Record<QueueState, number>;

/** Producer side of the job queue. */
export interface JobQueue {
  /** Validates `payload` against the job catalog, then enqueues. Rejects fast when the queue is unreachable. */
  enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions): Promise<EnqueueResult>;
  /** Number of jobs per state, read live. */
  depth(): Promise<QueueDepth>;
  /**
   * True while job `jobId` waits, is delayed or runs: a consumer will take it (a dead consumer's
   * job goes back to waiting). False once it completed, failed for good, or is gone.
   */
  pending(jobId: string): Promise<boolean>;
  /** Round trip to the backing store; rejects when it is down. */
  ping(): Promise<void>;
  close(): Promise<void>;
}

export interface JobContext {
  jobId: string;
  name: JobName;
  /** 1 for the first try. */
  attempt: number;
  maxAttempts: number;
  /** Aborted at the job's timeout or when the consumer shuts down past its drain deadline. */
  signal: AbortSignal;
}

export type JobHandler<N extends JobName = JobName> = (payload: JobPayload<N>, context: JobContext) => Promise<void>;

export type JobHandlers = { [N in JobName]: JobHandler<N> };

/** Consumer side: runs handlers for the catalog's jobs. */
export interface JobConsumer {
  /**
   * Stops taking new jobs, waits up to `drainTimeoutMs` for running ones, then aborts them (their
   * jobs stay in the queue and are retried by another consumer).
   */
  close(drainTimeoutMs: number): Promise<{ drained: boolean }>;
  /** Jobs currently running in this consumer. */
  activeCount(): number;
}
