import { createBullBoard } from '@bull-board/api';
import type { BaseAdapter } from '@bull-board/api/baseAdapter';
import { FastifyAdapter } from '@bull-board/fastify';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { QueueBoardAdapters } from '../deps.js';

/**
 * The BullMQ queue view: /admin/queues with every action for operators, /queues read-only for
 * any signed-in user. Anonymous browsers are sent to the sign-in page.
 */
export async function queueBoardRoutes(app: FastifyInstance, options: { queueBoard: QueueBoardAdapters }) {
  await mount(app, '/admin/queues', options.queueBoard.full, true);
  await mount(app, '/queues', options.queueBoard.readOnly, false);
}

async function mount(app: FastifyInstance, basePath: string, adapter: BaseAdapter, adminOnly: boolean) {
  await app.register(async (scope) => {
    scope.addHook('onRequest', async (request: FastifyRequest, reply: FastifyReply) => {
      if (!request.principal) {
        if ((request.headers.accept ?? '').includes('text/html')) {
          return reply.redirect(`/signin?next=${encodeURIComponent(basePath)}`);
        }
        return reply.status(401).send({ error: { code: 'UNAUTHORIZED', message: 'sign in first (admin token or GitHub)' } });
      }
      if (adminOnly && request.principal.kind !== 'admin') {
        return reply.status(403).send({ error: { code: 'FORBIDDEN', message: 'operators only; use /queues to look' } });
      }
      return undefined;
    });
    const serverAdapter = new FastifyAdapter();
    serverAdapter.setBasePath(basePath);
    createBullBoard({
      queues: [adapter],
      serverAdapter,
      options: { uiConfig: { boardTitle: adminOnly ? 'agent-bot queue (admin)' : 'agent-bot queue (read-only)' } },
    });
    await scope.register(serverAdapter.registerPlugin(), { prefix: basePath });
  });
}
