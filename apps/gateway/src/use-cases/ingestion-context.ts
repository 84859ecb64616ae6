import type { JobQueue, TaskRepository } from '@agent-bot/contracts';
import type { Logger, Metrics } from '@agent-bot/observability';
import type { IngestionDeps } from '../ingestion-deps.js';
import { type WebhookAdapters, createWebhookAdapters } from '../providers/create-adapters.js';
import type { IngestWebhookDeps } from './ingest-webhook.js';
import { QueueHandoffs } from './queue-handoffs.js';

export interface IngestionContext {
  adapters: WebhookAdapters;
  process: IngestWebhookDeps;
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
      handoffs:
        ingestion.handoffs ??
        new QueueHandoffs((error) => deps.logger.error({ err: error }, 'handing a task to the queue failed')),
      normaliseContext: {
        triggers: { botHandle: ingestion.botHandle.toLowerCase(), botLabel: ingestion.botLabel },
        permissions: ingestion.permissions,
        installations: ingestion.installations,
        onGitHubAuthorizationRevoked: ingestion.onGitHubAuthorizationRevoked,
      },
    },
  };
}
