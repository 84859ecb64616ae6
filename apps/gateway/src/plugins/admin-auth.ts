import { timingSafeEqual } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

/** Constant-time comparison that does not leak the expected length through early exit. */
export function safeEqual(given: string, expected: string): boolean {
  const a = Buffer.from(given);
  const b = Buffer.from(expected);
  if (a.length !== b.length) {
    timingSafeEqual(b, b);
    return false;
  }
  return timingSafeEqual(a, b);
}

export function bearerToken(request: FastifyRequest): string | undefined {
  const header = request.headers.authorization;
  if (!header?.startsWith('Bearer ')) return undefined;
  return header.slice('Bearer '.length).trim();
}

/** preHandler for operator routes: `Authorization: Bearer <ADMIN_TOKEN>`. */
export function requireAdmin(adminToken: string | undefined) {
  return async (request: FastifyRequest, reply: FastifyReply) => {
    if (!adminToken) {
      return reply.status(503).send({
        error: { code: 'ADMIN_TOKEN_NOT_CONFIGURED', message: 'set ADMIN_TOKEN to use the operator API' },
      });
    }
    const token = bearerToken(request);
    if (!token || !safeEqual(token, adminToken)) {
      return reply.status(401).send({ error: { code: 'UNAUTHORIZED', message: 'a valid admin bearer token is required' } });
    }
    return undefined;
  };
}
