import { errorCodeOf } from '@agent-bot/contracts';
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import type { GatewayDeps, GitHubGatewayDeps } from '../../deps.js';
import { beginFlow, checkFlow, OAUTH_COOKIE } from './flow-state.js';

const callbackQuery = z.object({
  code: z.string().max(512).optional(),
  state: z.string().max(512).optional(),
  error: z.string().max(200).optional(),
});

/** "Sign in with GitHub": the app's OAuth web flow with our own state and PKCE. */
export async function githubOAuthRoutes(app: FastifyInstance, deps: GatewayDeps & { github: GitHubGatewayDeps }) {
  const { github } = deps;
  const redirectUrl = `${deps.publicUrl}/oauth/github/callback`;
  const secure = deps.publicUrl.startsWith('https:');

  app.get('/authorize', async (_request, reply) => {
    const oauth = await github.app.oauth();
    if (!oauth) {
      return reply.status(503).send({
        error: {
          code: 'GITHUB_NOT_CONFIGURED',
          message: 'no GitHub App with OAuth credentials yet: create one at /setup or set GITHUB_CLIENT_ID',
        },
      });
    }
    const { state, codeChallenge } = await beginFlow(reply, {
      states: github.oauthStates,
      purpose: 'oauth',
      cookie: OAUTH_COOKIE,
      redirectUrl,
      secure,
    });
    return reply.redirect(oauth.authorizationUrl({ state, codeChallenge, redirectUrl }), 302);
  });

  app.get('/callback', async (request, reply) => {
    const query = callbackQuery.parse(request.query ?? {});
    const check = await checkFlow(request, reply, {
      states: github.oauthStates,
      purpose: 'oauth',
      cookie: OAUTH_COOKIE,
      state: query.state,
    });
    if (!check.ok) return reply.status(400).send({ error: { code: check.code, message: check.message } });
    if (query.error)
      return reply
        .status(400)
        .send({ error: { code: 'OAUTH_DENIED', message: `GitHub did not authorise the sign-in (${query.error})` } });
    if (!query.code)
      return reply.status(400).send({ error: { code: 'OAUTH_CODE_MISSING', message: 'the callback carries no code' } });
    const oauth = await github.app.oauth();
    if (!oauth)
      return reply
        .status(503)
        .send({ error: { code: 'GITHUB_NOT_CONFIGURED', message: 'the GitHub App has no OAuth credentials' } });

    let tokens: Awaited<ReturnType<typeof oauth.exchangeCode>>;
    try {
      tokens = await oauth.exchangeCode({ code: query.code, codeVerifier: check.codeVerifier, redirectUrl: check.redirectUrl });
    } catch (error) {
      if (errorCodeOf(error) !== 'GITHUB_OAUTH_FAILED') throw error;
      return reply.status(400).send({ error: { code: 'OAUTH_EXCHANGE_FAILED', message: (error as Error).message } });
    }
    const user = await oauth.user(tokens.accessToken);
    const installations = await oauth.installations(tokens.accessToken);
    await github.users.saveSignIn({ user, tokens, installations });
    request.log.info({ userId: user.id, login: user.login, installations: installations.length }, 'GitHub sign-in');
    await reply.startSession({ kind: 'user', id: user.id, login: user.login });
    return reply.redirect('/', 302);
  });
}
