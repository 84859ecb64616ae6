import fastifyCors from '@fastify/cors';
import fastifyHelmet from '@fastify/helmet';
import fastifyRateLimit from '@fastify/rate-limit';
import { AppError } from '@agent-bot/contracts';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { RedisClient } from '@agent-bot/queue';
import { allowedOrigins } from './origins.js';

export interface SecurityPluginOptions {
  publicUrl: string;
  corsOrigins: string[];
  apiRateLimitPerMinute: number;
  rateLimitStore?: { redis: RedisClient; prefix: string } | undefined;
}

/**
 * Security headers on every response, CORS for the configured origins only, and a per-client
 * rate limit on /api routes (webhooks, health probes and the dashboard's files are not limited:
 * senders and probes retry on their own schedule, and static files are cheap).
 */
export const securityPlugin = fp(
  async (app: FastifyInstance, options: SecurityPluginOptions) => {
    await app.register(fastifyHelmet, {
      contentSecurityPolicy: {
        useDefaults: false,
        directives: {
          defaultSrc: ["'self'"],
          // The dashboard is one bundled script from our own origin; nothing inline, nothing remote.
          scriptSrc: ["'self'"],
          // Inline styles only (no inline script); the queue view sets element styles.
          styleSrc: ["'self'", "'unsafe-inline'"],
          imgSrc: ["'self'", 'data:'],
          fontSrc: ["'self'", 'data:'],
          // 'self' covers the same-origin WebSocket (ws/wss) in current browsers.
          connectSrc: ["'self'"],
          objectSrc: ["'none'"],
          baseUri: ["'self'"],
          frameAncestors: ["'none'"],
          formAction: ["'self'", 'https://github.com'],
        },
      },
      // The dashboard loads nothing cross-origin that would need CORP/COEP relaxations.
      crossOriginEmbedderPolicy: false,
    });

    const origins = allowedOrigins(options.publicUrl, options.corsOrigins);
    await app.register(fastifyCors, {
      origin: (origin, callback) => callback(null, origin === undefined || origins.includes(origin)),
      credentials: true,
      methods: ['GET', 'POST', 'DELETE', 'PUT', 'PATCH'],
    });

    await app.register(fastifyRateLimit, {
      max: options.apiRateLimitPerMinute,
      timeWindow: 60_000,
      allowList: (request) => !request.url.startsWith('/api/'),
      ...(options.rateLimitStore
        ? {
            redis: options.rateLimitStore.redis,
            nameSpace: `${options.rateLimitStore.prefix}:rate-limit:`,
            // A Redis outage must not take the API down with it: unlimited until it is back.
            skipOnError: true,
          }
        : {}),
      // Thrown by the plugin after it set Retry-After; the error handler turns it into our JSON shape.
      errorResponseBuilder: (_request, context) =>
        new AppError(
          'RATE_LIMITED',
          `more than ${context.max} requests per minute; retry in ${Math.ceil(context.ttl / 1000)} s`,
          { expected: true },
        ) as unknown as object,
    });
  },
  { name: 'agent-bot-security' },
);
