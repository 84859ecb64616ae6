import { AppError, type DeliveryRepository, deliveryStatusSchema, webhookProviderSchema } from '@agent-bot/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { requireAdminPrincipal } from '../../../plugins/session.js';
import type { IngestionContext } from '../../../use-cases/ingestion-context.js';
import { processDelivery } from '../../../use-cases/process-delivery.js';
import { replayAnswer } from './replay-answer.js';
import { serializeDelivery, serializeDeliverySummary } from './serialize-delivery.js';

const listQuery = z.object({
  status: deliveryStatusSchema.optional(),
  provider: webhookProviderSchema.optional(),
  limit: z.coerce.number().int().min(1).max(500).optional(),
  before: z.string().optional(),
});

export interface DeliveryRouteOptions {
  deliveries: DeliveryRepository;
  context: IngestionContext;
}

/** The inbox for the dashboard and CLI: list, inspect, replay. Operator-only. */
export async function deliveryRoutes(app: FastifyInstance, options: DeliveryRouteOptions) {
  // Payloads can hold private repository content: operators only (admin session or bearer token).
  app.addHook('preHandler', requireAdminPrincipal);

  app.get('/', async (request) => {
    const query = listQuery.parse(request.query);
    const deliveries = await options.deliveries.list(query);
    const last = deliveries.at(-1);
    return {
      deliveries: deliveries.map(serializeDeliverySummary),
      next_before: last && deliveries.length === (query.limit ?? 50) ? last.id : null,
    };
  });

  app.get<{ Params: { id: string } }>('/:id', async (request) => {
    const delivery = await options.deliveries.get(request.params.id);
    if (!delivery) throw new AppError('NOT_FOUND', `delivery ${request.params.id} not found`, { expected: true });
    return { delivery: serializeDelivery(delivery) };
  });

  /**
   * Runs the stored bytes through the same path as a live delivery (no signature check: they were
   * verified on receipt). A delivery that already has a task keeps it; it is queued again only if
   * the task has not started, so a replay never creates a second task. When the task already ran
   * (or is running) the answer says so (`already_ran`, with the task's status and a hint to retry
   * the task instead) rather than `enqueued`.
   */
  app.post<{ Params: { id: string } }>('/:id/replay', async (request) => {
    const delivery = await options.deliveries.get(request.params.id);
    if (!delivery) throw new AppError('NOT_FOUND', `delivery ${request.params.id} not found`, { expected: true });
    await options.deliveries.markAttempt(delivery.id);
    const result = await processDelivery(options.context.process, options.context.adapters[delivery.provider], delivery);
    const updated = await options.deliveries.get(delivery.id);
    return {
      result: replayAnswer(result),
      delivery: updated ? serializeDeliverySummary(updated) : null,
    };
  });
}
