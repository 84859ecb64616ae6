import type { Delivery, DeliverySummary } from '@agent-bot/contracts';

export interface DeliveryRow {
  id: string;
  provider: string;
  delivery_id: string;
  event: string;
  action: string | null;
  status: string;
  reason: string | null;
  task_id: string | null;
  headers: Record<string, string>;
  body: string;
  attempts: number;
  received_at: Date;
  processed_at: Date | null;
}

export function toDeliverySummary(row: Omit<DeliveryRow, 'body' | 'headers'>): DeliverySummary {
  return {
    id: row.id,
    provider: row.provider as Delivery['provider'],
    deliveryId: row.delivery_id,
    event: row.event,
    action: row.action,
    status: row.status as Delivery['status'],
    reason: row.reason,
    taskId: row.task_id,
    attempts: row.attempts,
    receivedAt: row.received_at,
    processedAt: row.processed_at,
  };
}

export function toDelivery(row: DeliveryRow): Delivery {
  return { ...toDeliverySummary(row), headers: row.headers, body: row.body };
}
