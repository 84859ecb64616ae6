import { AppError } from '@agent-bot/contracts';
import type { FastifyError, FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { ZodError } from 'zod';

const STATUS_BY_CODE: Record<string, number> = {
  NOT_FOUND: 404,
  TASK_NOT_FOUND: 404,
  RATE_LIMITED: 429,
  FORBIDDEN: 403,
  BOT_NOT_FOUND: 404,
  BOT_EXISTS: 409,
  BOT_STOPPED: 409,
  TASK_NOT_CANCELLABLE: 409,
  TASK_PUBLISHING: 409,
  TASK_NOT_RETRYABLE: 409,
  UNAUTHORIZED: 401,
  VALIDATION_FAILED: 400,
  DEPENDENCY_UNAVAILABLE: 503,
  GITHUB_NOT_CONFIGURED: 503,
  GITHUB_UNAVAILABLE: 502,
  GITHUB_SIGN_IN_REQUIRED: 401,
};

/**
 * Every error leaves as `{ error: { code, message } }`. Expected errors keep their message;
 * unexpected ones are logged with their stack and answered without internals.
 */
export const errorHandlerPlugin = fp(async (app: FastifyInstance) => {
  app.setErrorHandler((error: FastifyError | Error, request, reply) => {
    if (error instanceof ZodError) {
      return reply.status(400).send({
        error: {
          code: 'VALIDATION_FAILED',
          message: 'request is invalid',
          issues: error.issues.map((issue) => ({ path: issue.path.join('.'), message: issue.message })),
        },
      });
    }
    if (error instanceof AppError) {
      const status = STATUS_BY_CODE[error.code] ?? (error.expected ? 400 : 500);
      if (status >= 500) request.log.error({ err: error }, error.message);
      return reply.status(status).send({ error: { code: error.code, message: error.message } });
    }
    const fastifyError = error as FastifyError;
    if (fastifyError.statusCode && fastifyError.statusCode < 500) {
      return reply.status(fastifyError.statusCode).send({
        error: { code: fastifyError.code ?? 'BAD_REQUEST', message: fastifyError.message },
      });
    }
    request.log.error({ err: error }, 'unhandled error');
    return reply.status(500).send({ error: { code: 'INTERNAL', message: 'internal error' } });
  });

  app.setNotFoundHandler((request, reply) =>
    reply
      .status(404)
      .send({ error: { code: 'NOT_FOUND', message: `no route for ${request.method} ${request.url.split('?')[0]}` } }),
  );
});
