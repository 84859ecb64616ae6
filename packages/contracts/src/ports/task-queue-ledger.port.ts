import type { Priority } from '../priority.js';

/**
 * Which tasks have been handed to the queue. A task row is written before it is queued, so one
 * stored while Redis was down has no `enqueuedAt`; the reconciler finds and queues it.
 */
export interface TaskQueueLedger {
  markEnqueued(taskId: string): Promise<void>;
  /**
   * Queued tasks never handed to the queue, created at least `olderThanMs` ago, oldest first. Tasks
   * made from a webhook delivery are left out: the delivery's own reconciliation queues them.
   */
  listUnenqueued(options: { olderThanMs: number; limit: number }): Promise<Array<{ id: string; priority: Priority }>>;
}
