import type { JobQueue, TaskRepository } from '@agent-bot/contracts';
import type { Logger, Metrics } from '@agent-bot/observability';
import type { IngestionDeps } from '../ingestion-deps.js';
import { type WebhookAdapters, createWebhookAdapters } from '../providers/create-adapters.js';
import type { ProcessDeliveryDeps } from './process-delivery.js';

export interface IngestionContext {
  adapters: WebhookAdapters;
  process: ProcessDeliveryDeps & { now: () => number };
}

/** Assembles what the webhook routes, replay and the reconciler share from the gateway's deps. */
export function createIngestionContext(deps: {
  ingestion: IngestionDeps;
  tasks: TaskRepository;
  queue: JobQueue;
  logger: Logger;
  metrics: Metrics;
}): IngestionContext {
  const { ingestion } = deps;
  return {
    adapters: createWebhookAdapters(ingestion.secrets),
    process: {
      deliveries: ingestion.deliveries,
      tasks: deps.tasks,
      queue: deps.queue,
      logger: deps.logger,
      metrics: deps.metrics,
      now: ingestion.now ?? Date.now,
      normaliseContext: {
        triggers: { botHandle: ingestion.botHandle.toLowerCase(), botLabel: ingestion.botLabel },
        permissions: ingestion.permissions,
        installations: ingestion.installations,
        onGitHubAuthorizationRevoked: ingestion.onGitHubAuthorizationRevoked,
      },
    },
  };
}
