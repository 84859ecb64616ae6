import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import fastifyStatic from '@fastify/static';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';

/** Paths that belong to the server, never to the single-page app. */
const RESERVED = /^\/(api|webhooks|health|metrics|oauth|admin|queues)(\/|$|\?)/;

const NOT_BUILT_PAGE = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>agent-bot</title></head>
<body style="font-family:system-ui,sans-serif;max-width:40rem;margin:4rem auto;line-height:1.5">
<h1>The dashboard is not built</h1>
<p>The gateway is running, but it found no dashboard files to serve. Build them with
<code>npm run build</code> (or start everything with <code>npm start</code>), then reload this page.</p>
<p>The API, webhooks, <a href="/health">/health</a> and <a href="/metrics">/metrics</a> work without it.</p>
</body></html>`;

/**
 * Serves the built dashboard at `/`: hashed assets with long caching, and index.html for every
 * other GET outside the server's own prefixes so client routes like /tasks/:id survive a reload.
 * Without a build it answers 503 with what to do, so tests and API-only setups need no build.
 */
export async function dashboardStatic(app: FastifyInstance, options: { dashboardDir: string }) {
  const indexPath = join(options.dashboardDir, 'index.html');
  const built = existsSync(indexPath);
  const indexHtml = built ? readFileSync(indexPath) : undefined;

  if (built && existsSync(join(options.dashboardDir, 'assets'))) {
    await app.register(fastifyStatic, {
      root: join(options.dashboardDir, 'assets'),
      prefix: '/assets/',
      decorateReply: false,
      immutable: true,
      maxAge: '365d',
    });
  }

  const page = async (request: FastifyRequest, reply: FastifyReply) => {
    if (RESERVED.test(request.url)) return reply.callNotFound();
    if (!indexHtml)
      return reply.status(503).type('text/html; charset=utf-8').header('cache-control', 'no-store').send(NOT_BUILT_PAGE);
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-cache').send(indexHtml);
  };
  app.get('/', page);
  app.get('/*', page);
}
