import type { Delivery, DeliveryStatus, DeliverySummary, NewDelivery, WebhookProvider } from '../delivery.js';
import type { ParsedTaskRequest, Task } from '../task.js';

/** An outcome decided before the delivery was stored (no lookups were needed to decide it). */
export type SettledOutcome = { kind: 'ignored'; reason: string } | { kind: 'task'; request: ParsedTaskRequest };

export interface DeliveryListFilter {
  status?: DeliveryStatus;
  provider?: WebhookProvider;
  limit?: number;
  /** Keyset pagination: deliveries received before this one (our id). */
  before?: string;
}

/** The durable inbox of webhook deliveries. */
export interface DeliveryRepository {
  /**
   * Stores a verified delivery. Unique on (provider, deliveryId): when it already exists, nothing is
   * written and `duplicate` is true, also when two requests race.
   */
  record(delivery: NewDelivery): Promise<{ delivery: Delivery; duplicate: boolean }>;
  /**
   * Stores a delivery together with its already-known outcome in one durable write: ignored with
   * its reason, or `enqueued` with its task created (`queued`) and linked. The caller then queues the
   * job; if that fails it calls markDeferred. A task that never reached the queue, also after a crash
   * in between, is found by TaskQueueLedger.listUnenqueued and queued by the reconciler.
   * Same uniqueness as `record`: a duplicate writes nothing and returns the stored delivery.
   */
  recordSettled(
    delivery: NewDelivery,
    outcome: SettledOutcome,
  ): Promise<{ delivery: Delivery; duplicate: boolean; task: Task | null }>;
  get(id: string): Promise<Delivery | null>;
  list(filter?: DeliveryListFilter): Promise<DeliverySummary[]>;
  /**
   * Creates the task for a delivery and links it, atomically and at most once per delivery: a
   * second call (replay, reconciler, a race) returns the task made the first time with `created` false.
   */
  createTask(deliveryId: string, request: ParsedTaskRequest): Promise<{ task: Task; created: boolean }>;
  /** Counts one more processing attempt (a replay); record and claimPending count their own. */
  markAttempt(id: string): Promise<void>;
  /** Settles the delivery as enqueued and records its task as handed to the queue (TaskQueueLedger). */
  markEnqueued(id: string, taskId: string): Promise<void>;
  /** Puts a settled delivery back to `received` (the queue was down) for the reconciler to finish. */
  markDeferred(id: string, reason: string): Promise<void>;
  markIgnored(id: string, reason: string): Promise<void>;
  markFailed(id: string, reason: string): Promise<void>;
  /**
   * Claims deliveries left in `received` for at least `olderThanMs`, oldest first. A claim is a
   * lease of `leaseMs` (default 60 s): a delivery claimed within it is skipped, so two reconcilers
   * never work on the same delivery at once.
   */
  claimPending(options: { olderThanMs: number; limit: number; leaseMs?: number }): Promise<Delivery[]>;
}
