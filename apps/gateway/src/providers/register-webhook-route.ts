import type { FastifyInstance } from 'fastify';
import { type IngestWebhookDeps, ingestWebhook } from '../use-cases/ingest-webhook.js';
import type { WebhookProviderAdapter } from './provider.js';

export interface WebhookRouteOptions {
  adapter: WebhookProviderAdapter;
  deps: IngestWebhookDeps;
}

/**
 * `POST /` inside an encapsulated plugin (mounted at /webhooks/<provider>). Its content-type parsers
 * hand the route the raw bytes: the signature covers them exactly, so nothing re-serialises JSON.
 * Other content types get Fastify's 415; bodies above the provider's limit its 413.
 */
export async function registerWebhookRoute(app: FastifyInstance, { adapter, deps }: WebhookRouteOptions): Promise<void> {
  app.removeAllContentTypeParsers();
  app.addContentTypeParser(
    [...adapter.contentTypes],
    { parseAs: 'buffer', bodyLimit: adapter.bodyLimit },
    (_request, body, done) => done(null, body),
  );
  app.post('/', { bodyLimit: adapter.bodyLimit }, async (request, reply) => {
    const stopTimer = deps.metrics.ingestDurationSeconds.startTimer({ provider: adapter.name });
    try {
      const response = await ingestWebhook(deps, adapter, {
        raw: Buffer.isBuffer(request.body) ? request.body : undefined,
        headers: request.headers,
      });
      return reply.status(response.status).send(response.body);
    } finally {
      stopTimer();
    }
  });
}
