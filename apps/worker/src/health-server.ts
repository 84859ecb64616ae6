import type { HealthAggregator, Logger, Metrics } from '@agent-bot/observability';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';

/** The worker's only HTTP: /health, /health/live, /health/ready and /metrics on WORKER_PORT. */
export async function buildHealthServer(deps: {
  logger: Logger;
  metrics: Metrics;
  health: HealthAggregator;
}): Promise<FastifyInstance> {
  // Probes hit this server every few seconds: log only warnings and errors (or less, if LOG_LEVEL
  // asks for less: a child's own level would otherwise override a quieter parent's).
  const level = deps.logger.isLevelEnabled('warn') ? 'warn' : deps.logger.level;
  const app = Fastify({ loggerInstance: deps.logger.child({}, { level }) as FastifyBaseLogger });
  // Answers that are not a probe's leave in the project's `{ error: { code, message } }` shape, as
  // the gateway's do (Fastify's default 404/500 bodies are shaped differently).
  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route for ${request.method} ${request.url.split('?')[0]}` } }),
  );
  app.setErrorHandler((error, request, reply) => {
    request.log.error({ err: error }, 'health server error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
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
