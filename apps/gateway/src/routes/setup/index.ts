import { buildAppManifest, manifestFormAction } from '@agent-bot/github';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayDeps, GitHubGatewayDeps } from '../../deps.js';
import { requireAdminPrincipal } from '../../plugins/session.js';
import { beginFlow, checkFlow, SETUP_COOKIE } from '../oauth/flow-state.js';
import { createdPage, environmentAppPage, manifestFormPage } from './setup-page.js';

const setupQuery = z.object({
  org: z
    .string()
    .regex(/^[A-Za-z0-9-]{1,39}$/)
    .optional(),
  name: z.string().min(1).max(34).optional(),
});

const callbackQuery = z.object({ code: z.string().max(512).optional(), state: z.string().max(512).optional() });

/**
 * GitHub App setup through the manifest flow, for operators only: GET /setup renders the form that
 * posts the manifest to GitHub; GitHub sends the browser back to /setup/callback with a one-time
 * code that we trade for the app's credentials (stored encrypted).
 */
export async function setupRoutes(app: FastifyInstance, deps: GatewayDeps & { github: GitHubGatewayDeps }) {
  const { github } = deps;
  const secure = deps.publicUrl.startsWith('https:');
  app.addHook('preHandler', requireAdminPrincipal);

  app.get('/', async (request, reply) => {
    const query = setupQuery.parse(request.query ?? {});
    reply.header('cache-control', 'no-store');
    if (github.app.configuredByEnvironment) {
      const current = await github.app.credentials();
      return reply.type('text/html; charset=utf-8').send(environmentAppPage(current?.appId ?? ''));
    }
    const existing = await github.app.credentials();
    const redirectUrl = `${deps.publicUrl}/setup/callback`;
    const { state } = await beginFlow(reply, {
      states: github.oauthStates,
      purpose: 'manifest',
      cookie: SETUP_COOKIE,
      redirectUrl,
      secure,
    });
    const manifest = buildAppManifest({ publicUrl: deps.publicUrl, name: query.name ?? 'agent-bot' });
    const action = manifestFormAction({ apiUrl: github.apiUrl, organization: query.org, state });
    return reply.type('text/html; charset=utf-8').send(
      manifestFormPage({
        action,
        manifest,
        organization: query.org,
        existingApp: existing ? (existing.slug ?? existing.appId) : undefined,
      }),
    );
  });

  app.get('/callback', async (request, reply) => {
    const query = callbackQuery.parse(request.query ?? {});
    const check = await checkFlow(request, reply, {
      states: github.oauthStates,
      purpose: 'manifest',
      cookie: SETUP_COOKIE,
      state: query.state,
    });
    if (!check.ok) return reply.status(400).send({ error: { code: check.code, message: check.message } });
    if (!query.code)
      return reply.status(400).send({ error: { code: 'MANIFEST_CODE_MISSING', message: 'the callback carries no code' } });
    const credentials = await github.convertManifest(query.code);
    await github.app.saveFromManifest(credentials);
    request.log.info({ appId: credentials.appId, slug: credentials.slug }, 'GitHub App created through the manifest flow');
    return reply.type('text/html; charset=utf-8').header('cache-control', 'no-store').send(createdPage(credentials));
  });
}
