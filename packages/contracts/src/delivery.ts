import { z } from 'zod';

/**
 * A webhook delivery in the durable inbox. `received` means stored and not yet settled (a task may
 * already exist but was not queued, e.g. Redis was down); the reconciler settles those.
 */
export const DELIVERY_STATUSES = ['received', 'enqueued', 'ignored', 'failed'] as const;
export const deliveryStatusSchema = z.enum(DELIVERY_STATUSES);
export type DeliveryStatus = z.infer<typeof deliveryStatusSchema>;

/** Providers that deliver webhooks to `POST /webhooks/:provider`. */
export const WEBHOOK_PROVIDERS = ['github', 'slack', 'jira', 'sentry'] as const;
export const webhookProviderSchema = z.enum(WEBHOOK_PROVIDERS);
export type WebhookProvider = z.infer<typeof webhookProviderSchema>;

export interface Delivery {
  /** Our id (uuid). */
  id: string;
  provider: WebhookProvider;
  /** The provider's id: X-GitHub-Delivery, Slack event_id, Request-ID, X-Atlassian-Webhook-Identifier. */
  deliveryId: string;
  event: string;
  action: string | null;
  status: DeliveryStatus;
  /** Why it was ignored or failed; null while received and once enqueued. */
  reason: string | null;
  taskId: string | null;
  /** The headers needed to process it again (event name, content type); never signatures. */
  headers: Record<string, string>;
  /** The exact bytes received (UTF-8), so replay runs the same input through the same path. */
  body: string;
  /** How many times it was processed (first try, reconciler passes, replays). */
  attempts: number;
  receivedAt: Date;
  processedAt: Date | null;
}

export type DeliverySummary = Omit<Delivery, 'body' | 'headers'>;

export interface NewDelivery {
  provider: WebhookProvider;
  deliveryId: string;
  event: string;
  action?: string | null;
  headers: Record<string, string>;
  body: string;
}
