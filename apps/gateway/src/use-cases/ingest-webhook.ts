import { AppError, type Delivery, type SettledOutcome, type Task, taskRequestSchema } from '@agent-bot/contracts';
import {
  type ParsedDelivery,
  type Rejection,
  type WebhookHeaders,
  type WebhookProviderAdapter,
  headerValue,
} from '../providers/provider.js';
import { decideWithoutLookups } from './decide-without-lookups.js';
import { stripNulDeep } from './strip-nul.js';
import { type ProcessDeliveryDeps, type ProcessResult, enqueueSettled, processDelivery } from './process-delivery.js';
import type { QueueHandoffs } from './queue-handoffs.js';

export type IngestWebhookDeps = ProcessDeliveryDeps & { now: () => number; handoffs: QueueHandoffs };

export type IngestResponse = { status: number; body: unknown };

function rejected(rejection: Rejection): IngestResponse {
  return { status: rejection.status, body: { error: { code: rejection.code, message: rejection.message } } };
}

function storedHeaders(adapter: WebhookProviderAdapter, headers: WebhookHeaders): Record<string, string> {
  const kept: Record<string, string> = {};
  for (const name of adapter.storedHeaders) {
    const value = headerValue(headers, name);
    if (value !== undefined) kept[name] = value;
  }
  return kept;
}

/**
 * Live webhook path: verify over the exact bytes, decode, identify, write to the inbox before
 * answering, then process. Nothing is stored for a request refused before the inbox write.
 */
export async function ingestWebhook(
  deps: IngestWebhookDeps,
  adapter: WebhookProviderAdapter,
  input: { raw: Buffer | undefined; headers: WebhookHeaders },
): Promise<IngestResponse> {
  const raw = input.raw ?? Buffer.alloc(0);
  const reject = (rejection: Rejection) => {
    deps.metrics.deliveriesTotal.inc({ provider: adapter.name, event: 'unverified', outcome: 'rejected' });
    return rejected(rejection);
  };
  if (raw.length === 0) return reject({ status: 400, code: 'EMPTY_BODY', message: 'body is empty' });
  let verified: Awaited<ReturnType<WebhookProviderAdapter['verify']>>;
  try {
    verified = await adapter.verify({ raw, headers: input.headers, nowMs: deps.now() });
  } catch {
    // A verifier that throws on odd input must still answer 401, never 5xx (a 5xx invites retries of a forgery).
    verified = { ok: false, rejection: { status: 401, code: 'SIGNATURE_INVALID', message: 'signature could not be verified' } };
  }
  if (!verified.ok) return reject(verified.rejection);

  const headers = storedHeaders(adapter, input.headers);
  // PostgreSQL text cannot hold NUL; no provider sends a raw one (JSON escapes it as \u0000).
  if (raw.includes(0)) return reject({ status: 400, code: 'MALFORMED_BODY', message: 'body contains a NUL byte' });
  const body = raw.toString('utf8');
  const decoded = adapter.parse(body, headers);
  if (!decoded.ok) return reject(decoded.rejection);
  const parsed: ParsedDelivery = { payload: decoded.payload, headers };
  const identified = adapter.identify(parsed, raw);
  if (identified.kind === 'rejected') return reject(identified.rejection);
  if (identified.kind === 'immediate') return { status: identified.status, body: identified.body };
  // Event and action come from the payload; an escaped NUL in them would fail the insert.
  identified.event = stripNulDeep(identified.event);
  identified.action = stripNulDeep(identified.action);

  const newDelivery = {
    provider: adapter.name,
    deliveryId: identified.deliveryId,
    event: identified.event,
    action: identified.action,
    headers,
    body,
  };
  // Most deliveries are decided without a lookup: then one write stores the delivery with its outcome.
  const settled = await settledOutcome(deps, adapter, parsed, identified);
  let delivery: Delivery;
  let duplicate: boolean;
  let task: Task | null = null;
  try {
    if (settled) ({ delivery, duplicate, task } = await deps.deliveries.recordSettled(newDelivery, settled));
    else ({ delivery, duplicate } = await deps.deliveries.record(newDelivery));
  } catch (error) {
    // Not stored, so not acknowledged: a 503 makes the sender retry later.
    throw new AppError('DEPENDENCY_UNAVAILABLE', 'the delivery could not be stored; retry later', { cause: error });
  }
  if (duplicate) {
    deps.metrics.deliveriesTotal.inc({ provider: adapter.name, event: identified.event, outcome: 'duplicate' });
    return { status: 200, body: { duplicate: true, delivery_id: delivery.id } };
  }

  const countSettled = (outcome: ProcessResult) =>
    deps.metrics.deliveriesTotal.inc({
      provider: adapter.name,
      event: identified.event,
      outcome: outcome.status === 'received' ? 'deferred' : outcome.status,
    });
  let result: ProcessResult;
  try {
    if (settled?.kind === 'ignored') {
      result = { status: 'ignored', taskId: null, reason: settled.reason };
      countSettled(result);
    } else if (task) {
      deps.metrics.tasksCreatedTotal.inc({ source: task.source, kind: task.kind });
      // The delivery is stored `enqueued` with its `queued` task: answer now, hand the job to the
      // queue right after (see QueueHandoffs for why this promises nothing less).
      const stored = task;
      await deps.handoffs.start(async () => countSettled(await enqueueSettled(deps, delivery, stored)));
      result = { status: 'enqueued', taskId: task.id, taskStatus: task.status, reason: null };
    } else result = await processDelivery(deps, adapter, delivery);
  } catch (error) {
    // Stored but not settled (the database failed mid-way): acknowledged; the reconciler finishes it.
    deps.logger.warn({ err: error, deliveryId: delivery.id }, 'delivery stored but not processed; left for the reconciler');
    result = { status: 'received', taskId: task?.id ?? null, reason: 'stored; processing deferred' };
  }
  const ack = adapter.acknowledgement?.(parsed, result);
  if (ack !== undefined) return { status: 200, body: ack };
  return {
    status: result.status === 'received' ? 202 : 200,
    body: { delivery_id: delivery.id, status: result.status, task_id: result.taskId, reason: result.reason },
  };
}

async function settledOutcome(
  deps: ProcessDeliveryDeps,
  adapter: WebhookProviderAdapter,
  parsed: ParsedDelivery,
  identified: { deliveryId: string; event: string; action: string | null },
): Promise<SettledOutcome | undefined> {
  const decided = await decideWithoutLookups(adapter, parsed, identified, deps.normaliseContext);
  if (!decided) return undefined;
  const outcome = stripNulDeep(decided);
  if (outcome.kind === 'ignored') return outcome;
  const request = taskRequestSchema.safeParse(outcome.request);
  // An invalid request takes the normal path, which records the failure with its reason.
  return request.success ? { kind: 'task', request: request.data } : undefined;
}
