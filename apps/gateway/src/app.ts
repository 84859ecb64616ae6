import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GatewayDeps } from './deps.js';
import { errorHandlerPlugin } from './plugins/error-handler.js';
import { requestSerializers } from './plugins/request-serializers.js';
import { sessionPlugin } from './plugins/session.js';
import { botRoutes } from './routes/api/bots/index.js';
import { sessionRoutes } from './routes/api/session/index.js';
import { taskRoutes } from './routes/api/tasks/index.js';
import { healthRoutes } from './routes/health/index.js';
import { metricsRoutes } from './routes/metrics.js';

/** Builds the gateway without listening: main.ts listens, tests use app.inject. */
export async function buildApp(deps: GatewayDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({}, { serializers: requestSerializers }) as FastifyBaseLogger,
    // API bodies are small; the webhook plugin raises its own limit to GitHub's 25 MB.
    bodyLimit: 1024 * 1024,
    trustProxy: true,
    requestIdHeader: 'x-request-id',
  });
  await app.register(errorHandlerPlugin);
  await app.register(sessionPlugin, {
    sessions: deps.sessions,
    adminToken: deps.adminToken,
    cookieSecret: deps.cookieSecret,
    ttlMs: deps.sessionTtlMs,
    secureCookies: deps.publicUrl.startsWith('https:'),
  });
  await app.register(healthRoutes, deps);
  await app.register(metricsRoutes, deps);
  await app.register(sessionRoutes, { ...deps, prefix: '/api/session' });
  await app.register(taskRoutes, { ...deps, prefix: '/api/tasks' });
  await app.register(botRoutes, { ...deps, prefix: '/api/bots' });
  return app;
}
