import { WEBHOOK_PROVIDERS } from '@agent-bot/contracts';
import type { FastifyInstance } from 'fastify';
import { registerWebhookRoute } from '../../providers/register-webhook-route.js';
import type { IngestionContext } from '../../use-cases/ingestion-context.js';

/** POST /webhooks/:provider — one encapsulated plugin per provider, each with its own raw-body parsers. */
export async function webhookRoutes(app: FastifyInstance, options: { context: IngestionContext }) {
  for (const provider of WEBHOOK_PROVIDERS) {
    await app.register(
      async (child) =>
        registerWebhookRoute(child, { adapter: options.context.adapters[provider], deps: options.context.process }),
      { prefix: `/${provider}` },
    );
  }
}
