import { redactUrl } from '@agent-bot/observability';
import type { FastifyReply, FastifyRequest } from 'fastify';

/**
 * Fastify's default request log line holds the full URL, which would log an OAuth `code`. These
 * serializers log the path with sensitive query values replaced, and no headers.
 */
export const requestSerializers = {
  req(request: FastifyRequest) {
    return {
      method: request.method,
      url: redactUrl(request.url),
      remoteAddress: request.ip,
      requestId: request.id,
    };
  },
  res(reply: FastifyReply) {
    return { statusCode: reply.statusCode };
  },
};
