import fastifyWebsocket from '@fastify/websocket';
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import type { GatewayDeps } from './deps.js';
import { BoardFeed } from './live/board-feed.js';
import { dashboardStatic } from './plugins/dashboard-static.js';
import { errorHandlerPlugin } from './plugins/error-handler.js';
import { refuseNulPlugin } from './plugins/refuse-nul.js';
import { requestSerializers } from './plugins/request-serializers.js';
import { securityPlugin } from './plugins/security.js';
import { sessionPlugin } from './plugins/session.js';
import { rotateKeysRoutes } from './routes/api/admin/rotate-keys.js';
import { botRoutes } from './routes/api/bots/index.js';
import { sessionRoutes } from './routes/api/session/index.js';
import { deliveryRoutes } from './routes/api/deliveries/index.js';
import { taskRoutes } from './routes/api/tasks/index.js';
import { liveSocketRoutes } from './routes/api/ws.js';
import { healthRoutes } from './routes/health/index.js';
import { metricsRoutes } from './routes/metrics.js';
import { webhookRoutes } from './routes/webhooks/index.js';
import { type IngestionContext, createIngestionContext } from './use-cases/ingestion-context.js';
import { githubNotConfiguredRoutes } from './routes/not-configured.js';
import { githubOAuthRoutes } from './routes/oauth/index.js';
import { setupRoutes } from './routes/setup/index.js';
import { queueBoardRoutes } from './routes/queue-board.js';

/** Builds the gateway without listening: main.ts listens, tests use app.inject. */
export async function buildApp(deps: GatewayDeps): Promise<FastifyInstance> {
  const app = Fastify({
    loggerInstance: deps.logger.child({}, { serializers: requestSerializers }) as FastifyBaseLogger,
    // API bodies are small; the webhook plugin raises its own limit to GitHub's 25 MB.
    bodyLimit: 1024 * 1024,
    // Off unless TRUST_PROXY says which proxies to believe: trusting X-Forwarded-For from anyone
    // would let a client pick its own request.ip and dodge the per-client rate limit.
    trustProxy: deps.trustProxy ?? false,
    requestIdHeader: 'x-request-id',
  });
  await app.register(errorHandlerPlugin);
  const ingestionContext = deps.ingestion ? createIngestionContext({ ...deps, ingestion: deps.ingestion }) : undefined;
  // Webhooks live beside, not inside, the context of the browser-facing plugins, so none of their
  // hooks (session cookie, CORS, security headers, rate limit, WebSocket upgrade) runs for a
  // delivery: a sender has no cookie, no browser reads the answer, and webhooks are not rate-limited.
  if (ingestionContext) {
    await app.register(webhookRoutes, { context: ingestionContext, prefix: '/webhooks' });
    // Closing stops new deliveries first; then the jobs of those already acknowledged reach the queue.
    app.addHook('onClose', () => ingestionContext.process.handoffs.settled());
  }
  await app.register(async (web) => browserFacingRoutes(web, deps, ingestionContext));
  return app;
}

/** Everything a browser, the CLI or a probe talks to, with the plugins they need. */
async function browserFacingRoutes(
  app: FastifyInstance,
  deps: GatewayDeps,
  ingestionContext: IngestionContext | undefined,
): Promise<void> {
  await app.register(securityPlugin, {
    publicUrl: deps.publicUrl,
    corsOrigins: deps.corsOrigins,
    apiRateLimitPerMinute: deps.apiRateLimitPerMinute,
    rateLimitStore: deps.rateLimitStore,
  });
  // Frames are small JSON; a larger one is a misbehaving client.
  await app.register(fastifyWebsocket, { options: { maxPayload: 64 * 1024 } });
  await app.register(refuseNulPlugin);
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
  if (deps.ingestion && ingestionContext) {
    await app.register(deliveryRoutes, {
      deliveries: deps.ingestion.deliveries,
      context: ingestionContext,
      prefix: '/api/deliveries',
    });
  }
  if (deps.github) {
    const withGitHub = { ...deps, github: deps.github };
    await app.register(setupRoutes, { ...withGitHub, prefix: '/setup' });
    await app.register(githubOAuthRoutes, { ...withGitHub, prefix: '/oauth/github' });
    await app.register(rotateKeysRoutes, { secretRotation: deps.github.secretRotation, prefix: '/api/admin' });
  } else {
    await app.register(githubNotConfiguredRoutes);
  }
  await app.register(botRoutes, { ...deps, prefix: '/api/bots' });
  const board = new BoardFeed(deps, deps.logger, deps.boardIntervalMs ?? 5000);
  app.addHook('onClose', async () => board.close());
  await app.register(liveSocketRoutes, { ...deps, board });
  if (deps.queueBoard) await app.register(queueBoardRoutes, { queueBoard: deps.queueBoard });
  await app.register(dashboardStatic, { dashboardDir: deps.dashboardDir });
}
