import {
  type Delivery,
  type DeliveryRepository,
  type JobQueue,
  type Task,
  type TaskRepository,
  type TaskStatus,
  taskRequestSchema,
} from '@agent-bot/contracts';
import type { Logger, Metrics } from '@agent-bot/observability';
import type { NormaliseContext, WebhookProviderAdapter } from '../providers/provider.js';
import { stripNulDeep } from './strip-nul.js';

export interface ProcessDeliveryDeps {
  deliveries: DeliveryRepository;
  tasks: TaskRepository;
  queue: JobQueue;
  logger: Logger;
  metrics: Metrics;
  normaliseContext: NormaliseContext;
}

/**
 * Where a delivery ended up. `received` means stored (maybe with its task) but not queued yet: Redis was down.
 * `enqueued` carries the task's status: anything but `queued` means the task had already run (or is
 * running) and was not queued again — what a replay of a settled delivery finds.
 */
export type ProcessResult =
  | { status: 'enqueued'; taskId: string; taskStatus: TaskStatus; reason: null }
  | { status: 'ignored'; taskId: null; reason: string }
  | { status: 'failed'; taskId: string | null; reason: string }
  | { status: 'received'; taskId: string | null; reason: string };

/**
 * The one path every stored delivery takes — first receipt, reconciler and replay: normalise, make
 * the task (at most once per delivery), queue it (job id = task id), and settle the status.
 */
export async function processDelivery(
  deps: ProcessDeliveryDeps,
  adapter: WebhookProviderAdapter,
  delivery: Delivery,
): Promise<ProcessResult> {
  const result = await settle(deps, adapter, delivery);
  deps.metrics.deliveriesTotal.inc({
    provider: delivery.provider,
    event: delivery.event,
    outcome: result.status === 'received' ? 'deferred' : result.status,
  });
  return result;
}

async function settle(deps: ProcessDeliveryDeps, adapter: WebhookProviderAdapter, delivery: Delivery): Promise<ProcessResult> {
  if (delivery.taskId) {
    const existing = await deps.tasks.get(delivery.taskId);
    if (existing) return enqueue(deps, delivery, existing);
  }
  const parsed = adapter.parse(delivery.body, delivery.headers);
  if (!parsed.ok) return fail(deps, delivery, `unreadable body: ${parsed.rejection.message}`);

  let outcome: Awaited<ReturnType<WebhookProviderAdapter['normalise']>>;
  try {
    outcome = stripNulDeep(
      await adapter.normalise({ payload: parsed.payload, headers: delivery.headers }, delivery, deps.normaliseContext),
    );
  } catch (error) {
    deps.logger.error({ err: error, deliveryId: delivery.id }, 'normalising a delivery failed');
    return fail(deps, delivery, `normalise failed: ${(error as Error).message}`);
  }
  if (outcome.kind === 'ignored') {
    await deps.deliveries.markIgnored(delivery.id, outcome.reason);
    return { status: 'ignored', taskId: null, reason: outcome.reason };
  }
  const request = taskRequestSchema.safeParse({ ...outcome.request, deliveryId: delivery.id });
  if (!request.success) {
    const issues = request.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ');
    return fail(deps, delivery, `invalid task request: ${issues}`);
  }
  const { task, created } = await deps.deliveries.createTask(delivery.id, request.data);
  if (created) deps.metrics.tasksCreatedTotal.inc({ source: task.source, kind: task.kind });
  return enqueue(deps, delivery, task);
}

/** Queues a delivery's task (job id = task id) and settles the delivery; `received` when the queue is down. */
export async function enqueue(deps: ProcessDeliveryDeps, delivery: Delivery, task: Task): Promise<ProcessResult> {
  // A task that already ran (a replay of a settled delivery) is not queued again.
  if (task.status === 'queued') {
    const deferred = await handToQueue(deps, delivery, task, { fresh: false });
    if (deferred) return deferred;
  }
  await deps.deliveries.markEnqueued(delivery.id, task.id);
  return { status: 'enqueued', taskId: task.id, taskStatus: task.status, reason: null };
}

/**
 * Queues the task of a delivery that recordSettled stored already `enqueued` (no second write on
 * success). When the queue is down the delivery goes back to `received` for the reconciler; should
 * even that write fail, the task ledger still finds the task.
 */
export async function enqueueSettled(deps: ProcessDeliveryDeps, delivery: Delivery, task: Task): Promise<ProcessResult> {
  // recordSettled inserted this task (and its new id) just now: no job can exist for it yet.
  const deferred = await handToQueue(deps, delivery, task, { fresh: true });
  if (!deferred) return { status: 'enqueued', taskId: task.id, taskStatus: task.status, reason: null };
  await deps.deliveries.markDeferred(delivery.id, deferred.reason).catch((error: unknown) => {
    deps.logger.warn({ err: error, deliveryId: delivery.id, taskId: task.id }, 'could not mark the delivery deferred');
  });
  return deferred;
}

async function handToQueue(
  deps: ProcessDeliveryDeps,
  delivery: Delivery,
  task: Task,
  { fresh }: { fresh: boolean },
): Promise<Extract<ProcessResult, { status: 'received' }> | undefined> {
  try {
    await deps.queue.enqueue('task.run', { taskId: task.id }, { jobId: task.id, priority: task.priority, fresh });
    return undefined;
  } catch (error) {
    deps.logger.warn(
      { err: error, deliveryId: delivery.id, taskId: task.id },
      'queue unavailable; delivery left for the reconciler',
    );
    return { status: 'received', taskId: task.id, reason: 'queue unavailable; will be queued when it is back' };
  }
}

async function fail(deps: ProcessDeliveryDeps, delivery: Delivery, reason: string): Promise<ProcessResult> {
  await deps.deliveries.markFailed(delivery.id, stripNulDeep(reason));
  return { status: 'failed', taskId: delivery.taskId, reason };
}
