import type { Priority } from '../priority.js';

/**
 * Which tasks are known to be in the queue. A task row is written before it is queued, so one
 * stored while Redis was down (or by a gateway that crashed before queueing) has no `enqueuedAt`;
 * the reconciler finds it and queues it. Webhook tasks are not marked on the hot path (one write
 * fewer per delivery): a worker takes most within seconds, and the reconciler checks the few still
 * waiting after `olderThanMs` (queueing is idempotent per task id) and marks them.
 */
export interface TaskQueueLedger {
  markEnqueued(taskId: string): Promise<void>;
  /**
   * Queued tasks not yet confirmed in the queue, created at least `olderThanMs` ago, oldest first.
   * Tasks of deliveries still `received` are left out: the delivery's own reconciliation queues them.
   */
  listUnenqueued(options: { olderThanMs: number; limit: number }): Promise<Array<{ id: string; priority: Priority }>>;
}
