import type { HealthAggregator, Logger, Metrics } from '@agent-bot/observability';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';

/** The worker's only HTTP: /health, /health/live, /health/ready and /metrics on WORKER_PORT. */
export async function buildHealthServer(deps: {
  logger: Logger;
  metrics: Metrics;
  health: HealthAggregator;
}): Promise<FastifyInstance> {
  // Probes hit this server every few seconds: log only warnings and errors.
  const app = Fastify({ loggerInstance: deps.logger.child({}, { level: 'warn' }) as FastifyBaseLogger });
  app.get('/health/live', async () => ({ status: 'alive' }));
  app.get('/health/ready', async (_request, reply) => {
    const report = await deps.health.report();
    const problems = Object.entries(report.checks)
      .filter(([, check]) => !check.healthy)
      .map(([name, check]) => `${name}: ${check.error ?? 'unhealthy'}`);
    if (problems.length > 0) return reply.status(503).send({ status: 'not_ready', problems });
    return { status: 'ready' };
  });
  app.get('/health', async (_request, reply) => {
    const report = await deps.health.report();
    return reply.status(report.status === 'unhealthy' ? 503 : 200).send(report);
  });
  app.get('/metrics', async (_request, reply) =>
    reply.type(deps.metrics.registry.contentType).send(await deps.metrics.registry.metrics()),
  );
  return app;
}
