import { randomUUID } from 'node:crypto';
import type { Delivery, NewDelivery, SettledOutcome, Task } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';
import { type DeliveryRow, toDelivery } from './delivery-row.js';
import { priorityToNumber, type TaskRow, toTask } from './task-row.js';

export interface SettledResult {
  delivery: Delivery;
  duplicate: boolean;
  task: Task | null;
}

interface Pending {
  delivery: NewDelivery;
  outcome: SettledOutcome;
  resolve: (result: SettledResult) => void;
  reject: (error: unknown) => void;
}

/** One distinct delivery of a batch, with the ids generated for it. */
interface Row {
  pending: Pending;
  id: string;
  taskId: string | null;
  copies: Pending[];
}

type ResultRow = Partial<TaskRow> & { d_id: string; d_received_at: Date; d_processed_at: Date | null };

const MAX_BATCH = 200;
/** A batch stops growing past this many body characters (GitHub bodies reach 25 MB). */
const MAX_BATCH_BODY = 8 * 1024 * 1024;

/**
 * Writes settled deliveries (and their tasks) that arrive together in one statement, so one
 * durable commit covers many webhooks under load; a lone delivery is written at once. Each caller
 * gets its own result. Within a batch, later copies of a delivery are duplicates of the first; the
 * unique index decides against rows written elsewhere.
 */
export class SettledBatchWriter {
  private readonly pending: Pending[] = [];
  private flushing = false;

  constructor(private readonly sql: Sql) {}

  write(delivery: NewDelivery, outcome: SettledOutcome): Promise<SettledResult> {
    return new Promise((resolve, reject) => {
      this.pending.push({ delivery, outcome, resolve, reject });
      if (!this.flushing) void this.flush();
    });
  }

  private async flush(): Promise<void> {
    this.flushing = true;
    while (this.pending.length > 0) {
      let size = 0;
      let count = 0;
      while (count < this.pending.length && count < MAX_BATCH && (count === 0 || size < MAX_BATCH_BODY)) {
        size += this.pending[count]?.delivery.body.length ?? 0;
        count += 1;
      }
      const batch = this.pending.splice(0, count);
      try {
        await this.writeBatch(batch);
      } catch (error) {
        for (const item of batch) item.reject(error);
      }
    }
    this.flushing = false;
  }

  private async writeBatch(batch: Pending[]): Promise<void> {
    const byKey = new Map<string, Row>();
    for (const pending of batch) {
      const key = JSON.stringify([pending.delivery.provider, pending.delivery.deliveryId]);
      const first = byKey.get(key);
      if (first) first.copies.push(pending);
      else
        byKey.set(key, { pending, id: randomUUID(), taskId: pending.outcome.kind === 'task' ? randomUUID() : null, copies: [] });
    }
    const rows = [...byKey.values()];
    const results = await this.insert(rows);
    for (const row of rows) {
      const result = results.get(row.id);
      const settled = result ? this.fresh(row, result) : await this.existing(row.pending.delivery);
      row.pending.resolve(settled);
      for (const copy of row.copies) copy.resolve({ delivery: settled.delivery, duplicate: true, task: null });
    }
  }

  private async insert(rows: Row[]): Promise<Map<string, ResultRow>> {
    const sql = this.sql;
    const join = (fragments: ReturnType<Sql>[]) => fragments.reduce((list, fragment) => sql`${list}, ${fragment}`);
    const deliveries = join(
      rows.map(({ pending: { delivery, outcome }, id, taskId }) => {
        const ignored = outcome.kind === 'ignored';
        return sql`(${id}::uuid, ${delivery.provider}, ${delivery.deliveryId}, ${delivery.event}, ${delivery.action ?? null},
                    ${sql.json(delivery.headers)}, ${delivery.body}, 1, ${ignored ? 'ignored' : 'received'},
                    ${ignored ? outcome.reason : null}, ${ignored ? sql`now()` : null}, ${taskId}::uuid)`;
      }),
    );
    const taskRows = rows.filter((row) => row.taskId !== null);
    const insertDeliveries = sql`
      insert into deliveries (id, provider, delivery_id, event, action, headers, body, attempts, status, reason, processed_at, task_id)
      values ${deliveries}
      on conflict (provider, delivery_id) do nothing
      returning id, received_at, processed_at`;
    let found: ResultRow[];
    if (taskRows.length === 0) {
      found = await sql<ResultRow[]>`
        with d as (${insertDeliveries})
        select d.id as d_id, d.received_at as d_received_at, d.processed_at as d_processed_at from d`;
    } else {
      const tasks = join(
        taskRows.map(({ pending: { outcome }, id, taskId }) => {
          const request = outcome.kind === 'task' ? outcome.request : undefined;
          if (!request) throw new Error('task row without a request');
          return sql`(${taskId}::uuid, ${request.kind}::text, ${priorityToNumber(request.priority)}::smallint, ${request.source}::text,
                      ${request.title ?? null}::text, ${request.prompt}::text, ${request.repo ?? null}::text,
                      ${request.installationId ?? null}::text, ${request.requestedBy ?? null}::text, ${request.runner ?? null}::text,
                      ${request.model ?? null}::text, ${request.botId ?? null}::text, ${id}::uuid, ${sql.json(request.context as never)}::jsonb)`;
        }),
      );
      // Both inserts in one statement: the foreign keys between the rows are checked at its end.
      found = await sql<ResultRow[]>`
        with d as (${insertDeliveries}),
        t as (
          insert into tasks (id, kind, priority, source, title, prompt, repo, installation_id, requested_by,
                             runner, model, bot_id, delivery_id, context)
          select v.* from (values ${tasks}) as v(id, kind, priority, source, title, prompt, repo, installation_id,
                                                  requested_by, runner, model, bot_id, delivery_id, context)
          where v.delivery_id in (select id from d)
          returning *)
        select t.*, d.id as d_id, d.received_at as d_received_at, d.processed_at as d_processed_at
        from d left join t on t.delivery_id = d.id`;
    }
    return new Map(found.map((row) => [row.d_id, row]));
  }

  private fresh(row: Row, result: ResultRow): SettledResult {
    const { delivery, outcome } = row.pending;
    const ignored = outcome.kind === 'ignored';
    return {
      delivery: {
        id: row.id,
        provider: delivery.provider,
        deliveryId: delivery.deliveryId,
        event: delivery.event,
        action: delivery.action ?? null,
        status: ignored ? 'ignored' : 'received',
        reason: ignored ? outcome.reason : null,
        taskId: row.taskId,
        headers: delivery.headers,
        body: delivery.body,
        attempts: 1,
        receivedAt: result.d_received_at,
        processedAt: result.d_processed_at,
      },
      duplicate: false,
      task: result.id ? toTask(result as TaskRow) : null,
    };
  }

  private async existing(delivery: NewDelivery): Promise<SettledResult> {
    const [row] = await this.sql<DeliveryRow[]>`
      select * from deliveries where provider = ${delivery.provider} and delivery_id = ${delivery.deliveryId}`;
    if (!row) throw new Error('delivery vanished between insert and select');
    return { delivery: toDelivery(row), duplicate: true, task: null };
  }
}
