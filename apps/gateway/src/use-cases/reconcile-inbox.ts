import type { DeliveryRepository, JobQueue, TaskQueueLedger } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import type { WebhookAdapters } from '../providers/create-adapters.js';
import { type ProcessDeliveryDeps, processDelivery } from './process-delivery.js';

export interface InboxReconcilerDeps {
  deliveries: DeliveryRepository;
  taskLedger: TaskQueueLedger;
  queue: JobQueue;
  logger: Logger;
  adapters: WebhookAdapters;
  process: ProcessDeliveryDeps;
}

export interface ReconcileReport {
  deliveries: number;
  enqueuedDeliveries: number;
  /** Tasks newly handed to the queue (an id the queue already held is not counted). */
  tasks: number;
  skipped?: 'queue unavailable';
}

/**
 * Settles what was stored while Redis (or a later step) was unavailable: deliveries left in
 * `received` go through the normal path again, and tasks never handed to the queue are queued.
 * Exactly once: a delivery makes at most one task (unique delivery id), a task is queued under its
 * own id (the queue keeps one job per id), and claims are leases so replicas do not overlap.
 */
export function createInboxReconciler(deps: InboxReconcilerDeps) {
  /** `minAgeMs` leaves alone what a live request is still working on. */
  async function runOnce(options: { minAgeMs?: number; batchSize?: number } = {}): Promise<ReconcileReport> {
    const minAgeMs = options.minAgeMs ?? 30_000;
    const batchSize = options.batchSize ?? 100;
    const report: ReconcileReport = { deliveries: 0, enqueuedDeliveries: 0, tasks: 0 };
    try {
      await deps.queue.ping();
    } catch {
      return { ...report, skipped: 'queue unavailable' };
    }
    for (;;) {
      const batch = await deps.deliveries.claimPending({ olderThanMs: minAgeMs, limit: batchSize });
      for (const delivery of batch) {
        report.deliveries += 1;
        const result = await processDelivery(deps.process, deps.adapters[delivery.provider], delivery);
        if (result.status === 'enqueued') report.enqueuedDeliveries += 1;
        // Redis went away again mid-pass: stop and let the next pass continue.
        if (result.status === 'received') return report;
      }
      if (batch.length < batchSize) break;
    }
    for (;;) {
      const tasks = await deps.taskLedger.listUnenqueued({ olderThanMs: minAgeMs, limit: batchSize });
      for (const task of tasks) {
        const { deduplicated } = await deps.queue.enqueue(
          'task.run',
          { taskId: task.id },
          { jobId: task.id, priority: task.priority },
        );
        await deps.taskLedger.markEnqueued(task.id);
        if (!deduplicated) report.tasks += 1;
      }
      if (tasks.length < batchSize) break;
    }
    if (report.deliveries > 0 || report.tasks > 0) deps.logger.info({ ...report }, 'reconciled the webhook inbox');
    return report;
  }

  /** Runs every `intervalMs` (never two passes at once); returns a stop function. */
  function start(intervalMs: number): () => Promise<void> {
    let running: Promise<unknown> | undefined;
    const timer = setInterval(() => {
      if (running) return;
      running = runOnce()
        .catch((error: unknown) => deps.logger.warn({ err: error }, 'inbox reconciliation failed; retrying next interval'))
        .finally(() => {
          running = undefined;
        });
    }, intervalMs);
    timer.unref();
    return async () => {
      clearInterval(timer);
      await running;
    };
  }

  return { runOnce, start };
}
export type InboxReconciler = ReturnType<typeof createInboxReconciler>;
