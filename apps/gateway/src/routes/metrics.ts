import type { FastifyInstance } from 'fastify';
import type { GatewayDeps } from '../deps.js';

export async function metricsRoutes(app: FastifyInstance, deps: Pick<GatewayDeps, 'metrics'>) {
  app.get('/metrics', async (_request, reply) => {
    const body = await deps.metrics.registry.metrics();
    return reply.type(deps.metrics.registry.contentType).send(body);
  });
}
