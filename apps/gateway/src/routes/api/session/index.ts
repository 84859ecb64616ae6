import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayDeps } from '../../../deps.js';
import { safeEqual } from '../../../plugins/admin-auth.js';
import { ADMIN_PRINCIPAL, requireSession } from '../../../plugins/session.js';
import { signInMethods } from './sign-in-methods.js';

const signInBody = z.object({ token: z.string().min(1).max(500) });

/** Sign in with the admin token (operators), see who is signed in, sign out. */
export async function sessionRoutes(app: FastifyInstance, deps: Pick<GatewayDeps, 'adminToken' | 'github'>) {
  // Unauthenticated on purpose: the sign-in page asks before anyone is signed in. It tells no more
  // than /oauth/github/authorize already does (whether GitHub sign-in is configured).
  app.get('/methods', async (_request, reply) => {
    reply.header('cache-control', 'no-store');
    return signInMethods(deps);
  });

  app.post('/', async (request, reply) => {
    const { token } = signInBody.parse(request.body ?? {});
    if (!deps.adminToken || !safeEqual(token, deps.adminToken)) {
      return reply.status(401).send({ error: { code: 'INVALID_ADMIN_TOKEN', message: 'that admin token is not valid' } });
    }
    await reply.startSession(ADMIN_PRINCIPAL);
    return { principal: ADMIN_PRINCIPAL };
  });

  app.get('/', { preHandler: requireSession }, async (request) => ({ principal: request.principal }));

  app.delete('/', async (_request, reply) => {
    await reply.endSession();
    return reply.status(204).send();
  });
}
