import type { Delivery, DeliverySummary } from '@agent-bot/contracts';

/** The REST shape of a delivery: snake_case, ISO timestamps. */
export function serializeDeliverySummary(delivery: DeliverySummary) {
  return {
    id: delivery.id,
    provider: delivery.provider,
    delivery_id: delivery.deliveryId,
    event: delivery.event,
    action: delivery.action,
    status: delivery.status,
    reason: delivery.reason,
    task_id: delivery.taskId,
    attempts: delivery.attempts,
    received_at: delivery.receivedAt.toISOString(),
    processed_at: delivery.processedAt?.toISOString() ?? null,
  };
}

/** With the stored headers and the payload (decoded JSON when it is JSON, else the raw text). */
export function serializeDelivery(delivery: Delivery) {
  let payload: unknown = delivery.body;
  try {
    payload = JSON.parse(delivery.body);
  } catch {
    // Form bodies (Slack commands, GitHub payload=) stay as the text that was signed.
  }
  return { ...serializeDeliverySummary(delivery), headers: delivery.headers, payload };
}
