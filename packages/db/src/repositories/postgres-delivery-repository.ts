import {
  CallBatcher,
  type Delivery,
  type DeliveryListFilter,
  type DeliveryRepository,
  type DeliverySummary,
  type NewDelivery,
  type ParsedTaskRequest,
  type SettledOutcome,
  type Task,
} from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';
import { type DeliveryRow, toDelivery, toDeliverySummary } from './delivery-row.js';
import { SettledBatchWriter } from './settled-batch-writer.js';
import { isUuid } from './postgres-task-repository.js';
import { priorityToNumber, type TaskRow, toTask } from './task-row.js';

const SUMMARY_COLUMNS = [
  'id',
  'provider',
  'delivery_id',
  'event',
  'action',
  'status',
  'reason',
  'task_id',
  'attempts',
  'received_at',
  'processed_at',
];

export interface PostgresDeliveryRepositoryOptions {
  /**
   * A pool with synchronous_commit off (createSql({ synchronousCommit: false })) for the writes
   * after the delivery is recorded: task creation and status marks. A crash may lose the last of
   * them, which leaves the delivery `received`, and the reconciler redoes exactly those steps (a
   * queued job whose task row was lost fails as TASK_NOT_FOUND; the redo makes a new task). Only
   * `record` — what the acknowledgement promises — waits for the WAL flush. Defaults to the main pool.
   */
  relaxedSql?: Sql;
}

export class PostgresDeliveryRepository implements DeliveryRepository {
  private readonly relaxed: Sql;
  private readonly marks: CallBatcher<{ id: string; taskId: string }, undefined>;
  private readonly settledWriter: SettledBatchWriter;

  constructor(
    private readonly sql: Sql,
    options: PostgresDeliveryRepositoryOptions = {},
  ) {
    this.relaxed = options.relaxedSql ?? sql;
    this.settledWriter = new SettledBatchWriter(sql);
    this.marks = new CallBatcher({ run: (marks) => this.writeMarks(marks), maxBatch: 500 });
  }

  async record(delivery: NewDelivery): Promise<{ delivery: Delivery; duplicate: boolean }> {
    // ON CONFLICT DO NOTHING keeps concurrent duplicates from erroring: exactly one insert wins.
    const [inserted] = await this.sql<DeliveryRow[]>`
      insert into deliveries (provider, delivery_id, event, action, headers, body, attempts)
      values (${delivery.provider}, ${delivery.deliveryId}, ${delivery.event}, ${delivery.action ?? null},
              ${this.sql.json(delivery.headers)}, ${delivery.body}, 1)
      on conflict (provider, delivery_id) do nothing
      returning *`;
    if (inserted) return { delivery: toDelivery(inserted), duplicate: false };
    return this.existing(delivery);
  }

  recordSettled(
    delivery: NewDelivery,
    outcome: SettledOutcome,
  ): Promise<{ delivery: Delivery; duplicate: boolean; task: Task | null }> {
    return this.settledWriter.write(delivery, outcome);
  }

  private async existing(delivery: NewDelivery): Promise<{ delivery: Delivery; duplicate: true }> {
    const [row] = await this.sql<DeliveryRow[]>`
      select * from deliveries where provider = ${delivery.provider} and delivery_id = ${delivery.deliveryId}`;
    if (!row) throw new Error('delivery vanished between insert and select');
    return { delivery: toDelivery(row), duplicate: true };
  }

  async get(id: string): Promise<Delivery | null> {
    if (!isUuid(id)) return null;
    const [row] = await this.sql<DeliveryRow[]>`select * from deliveries where id = ${id}`;
    return row ? toDelivery(row) : null;
  }

  async list(filter: DeliveryListFilter = {}): Promise<DeliverySummary[]> {
    const limit = Math.min(Math.max(filter.limit ?? 50, 1), 500);
    const sql = this.sql;
    const rows = await sql<DeliveryRow[]>`
      select ${sql(SUMMARY_COLUMNS)} from deliveries
      where true
        ${filter.status ? sql`and status = ${filter.status}` : sql``}
        ${filter.provider ? sql`and provider = ${filter.provider}` : sql``}
        ${
          filter.before && isUuid(filter.before)
            ? sql`and (received_at, id) < (select received_at, id from deliveries where id = ${filter.before})`
            : sql``
        }
      order by received_at desc, id desc
      limit ${limit}`;
    return rows.map(toDeliverySummary);
  }

  async createTask(deliveryId: string, request: ParsedTaskRequest): Promise<{ task: Task; created: boolean }> {
    const sql = this.relaxed;
    // One statement on the hot path: insert the task and link it to its delivery. The unique index on
    // tasks.delivery_id makes it at most once, also across concurrent callers.
    const [inserted] = await sql<TaskRow[]>`
      with inserted as (
        insert into tasks (kind, priority, source, title, prompt, repo, installation_id, requested_by,
                           runner, model, bot_id, delivery_id, context)
        values (${request.kind}, ${priorityToNumber(request.priority)}, ${request.source}, ${request.title ?? null},
                ${request.prompt}, ${request.repo ?? null}, ${request.installationId ?? null},
                ${request.requestedBy ?? null}, ${request.runner ?? null}, ${request.model ?? null},
                ${request.botId ?? null}, ${deliveryId}, ${sql.json(request.context as never)})
        on conflict (delivery_id) where delivery_id is not null do nothing
        returning *),
      linked as (update deliveries set task_id = inserted.id from inserted where deliveries.id = ${deliveryId})
      select * from inserted`;
    if (inserted) return { task: toTask(inserted), created: true };
    // Someone else created it: link (idempotent) and return theirs.
    const [existing] = await sql<TaskRow[]>`select * from tasks where delivery_id = ${deliveryId}`;
    if (!existing) throw new Error(`task for delivery ${deliveryId} vanished`);
    await sql`update deliveries set task_id = ${existing.id} where id = ${deliveryId} and task_id is null`;
    return { task: toTask(existing), created: false };
  }

  async markAttempt(id: string): Promise<void> {
    await this.sql`update deliveries set attempts = attempts + 1 where id = ${id}`;
  }

  /**
   * Also records the task as handed to the queue (the task-queue ledger), in the same statement.
   * Marks that arrive while one is being written are written together in the next statement (one
   * round trip for many deliveries under load); each call resolves once its own mark is written.
   */
  markEnqueued(id: string, taskId: string): Promise<void> {
    return this.marks.call({ id, taskId });
  }

  private async writeMarks(marks: Array<{ id: string; taskId: string }>): Promise<undefined[]> {
    const ids = marks.map((mark) => mark.id);
    const taskIds = marks.map((mark) => mark.taskId);
    await this.relaxed`
      with marks as (select * from unnest(${ids}::uuid[], ${taskIds}::uuid[]) as m(id, task_id)),
      ledger as (update tasks set enqueued_at = coalesce(enqueued_at, now()) from marks where tasks.id = marks.task_id)
      update deliveries set status = 'enqueued', task_id = marks.task_id, reason = null, processed_at = now()
      from marks where deliveries.id = marks.id`;
    return marks.map(() => undefined);
  }

  async markDeferred(id: string, reason: string): Promise<void> {
    // Back to `received` with no lease: the reconciler claims it once it is old enough.
    await this.relaxed`update deliveries set status = 'received', reason = ${reason}, processed_at = null where id = ${id}`;
  }

  async markIgnored(id: string, reason: string): Promise<void> {
    await this.relaxed`update deliveries set status = 'ignored', reason = ${reason}, processed_at = now() where id = ${id}`;
  }

  async markFailed(id: string, reason: string): Promise<void> {
    await this.relaxed`update deliveries set status = 'failed', reason = ${reason}, processed_at = now() where id = ${id}`;
  }

  async claimPending(options: { olderThanMs: number; limit: number; leaseMs?: number }): Promise<Delivery[]> {
    const leaseSeconds = (options.leaseMs ?? 60_000) / 1000;
    // processed_at doubles as the claim's lease while the status is still 'received'.
    const rows = await this.sql<DeliveryRow[]>`
      update deliveries set processed_at = now(), attempts = attempts + 1
      where id in (
        select id from deliveries
        where status = 'received'
          and received_at <= now() - make_interval(secs => ${options.olderThanMs / 1000})
          and (processed_at is null or processed_at <= now() - make_interval(secs => ${leaseSeconds}))
        order by received_at
        limit ${options.limit}
        for update skip locked)
      returning *`;
    return rows.map(toDelivery).sort((a, b) => a.receivedAt.getTime() - b.receivedAt.getTime());
  }
}
