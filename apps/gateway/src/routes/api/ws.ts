import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { GatewayDeps } from '../../deps.js';
import type { BoardFeed } from '../../live/board-feed.js';
import { createRefusedOriginWarnings } from '../../live/refused-origin-warnings.js';
import { serveLiveConnection } from '../../live/live-connection.js';
import { allowedOrigins } from '../../plugins/origins.js';
import { requireSession } from '../../plugins/session.js';

/**
 * GET /api/ws: the dashboard's live feed. Refused before the upgrade unless the request has a
 * session and, when it comes from a browser (it carries Origin), an allowed Origin, so another
 * site cannot ride a signed-in user's cookie (cross-site WebSocket hijacking).
 */
export async function liveSocketRoutes(app: FastifyInstance, deps: GatewayDeps & { board: BoardFeed }) {
  const origins = allowedOrigins(deps.publicUrl, deps.corsOrigins);
  const warnRefusedOrigin = createRefusedOriginWarnings({
    logger: deps.logger,
    publicUrl: deps.publicUrl,
    allowedOrigins: origins,
  });
  const checkOrigin = async (request: FastifyRequest, reply: FastifyReply) => {
    const origin = request.headers.origin;
    if (origin !== undefined && !origins.includes(origin)) {
      warnRefusedOrigin(origin);
      return reply
        .status(403)
        .send({ error: { code: 'ORIGIN_NOT_ALLOWED', message: `origin ${origin} may not open the live feed` } });
    }
    return undefined;
  };

  app.get('/api/ws', { websocket: true, preValidation: [checkOrigin, requireSession] }, (socket, request) => {
    const principal = request.principal;
    if (!principal) {
      socket.close(1008, 'sign in first');
      return;
    }
    serveLiveConnection(socket, principal, { ...deps, logger: deps.logger });
  });
}
