import type { FastifyInstance } from 'fastify';
import type { GatewayDeps } from '../../deps.js';

export async function healthRoutes(app: FastifyInstance, deps: Pick<GatewayDeps, 'health' | 'readiness'>) {
  /** Liveness: the process answers. Never touches a dependency, so a Redis outage does not restart us. */
  app.get('/health/live', async () => ({ status: 'alive' }));

  /** Readiness: PostgreSQL, Redis and the schema version are all right. */
  app.get('/health/ready', async (_request, reply) => {
    const problems = await deps.readiness.problems();
    if (problems.length > 0) return reply.status(503).send({ status: 'not_ready', problems });
    return { status: 'ready' };
  });

  app.get('/health', async (_request, reply) => {
    const report = await deps.health.report();
    return reply.status(report.status === 'unhealthy' ? 503 : 200).send(report);
  });
}
