import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';

/**
 * PostgreSQL text cannot hold U+0000, so a NUL in an API request (a prompt, a chat message, a
 * `?repo=%00` filter) failed deep in a query as a 500. It is the caller's mistake: answer 400 and
 * name the field. (Webhook payloads, which nobody can correct, have it stripped instead: strip-nul.ts.)
 */
export const refuseNulPlugin = fp(async (app: FastifyInstance) => {
  app.addHook('preValidation', async (request, reply) => {
    if (!request.url.startsWith('/api/')) return;
    // Paths as the validation errors give them: the field or query parameter (`prompt`, `repo`).
    const path = nulPath(request.params, '') ?? nulPath(request.query, '') ?? nulPath(request.body, '');
    if (path === undefined) return;
    return reply.status(400).send({
      error: {
        code: 'VALIDATION_FAILED',
        message: 'request is invalid',
        issues: [{ path, message: 'must not contain the NUL character (U+0000)' }],
      },
    });
  });
});

/** Where the first NUL is (`prompt`, `context.note`), or undefined when there is none. */
function nulPath(value: unknown, path: string): string | undefined {
  if (typeof value === 'string') return value.includes('\u0000') ? path : undefined;
  if (value === null || typeof value !== 'object') return undefined;
  for (const [key, item] of Object.entries(value)) {
    if (key.includes('\u0000')) return path;
    const found = nulPath(item, path === '' ? key : `${path}.${key}`);
    if (found !== undefined) return found;
  }
  return undefined;
}
