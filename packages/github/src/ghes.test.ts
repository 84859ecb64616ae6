import { createHash, randomBytes } from 'node:crypto';
import { createLogger } from '@agent-bot/observability';
import { type GitHubStandIn, startGitHubStandIn } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubAdapters, type GitHubAdapters } from './create-github-adapters.js';
import { OctokitGitHubOAuth } from './oauth/octokit-github-oauth.js';

/** GitHub Enterprise Server: the API under /api/v3, OAuth at the server root, its own REST description. */
describe('GitHub Enterprise Server base URL', () => {
  let gh: GitHubStandIn;
  let adapters: GitHubAdapters;
  let oauth: OctokitGitHubOAuth;
  let installationId: string;
  let userId: number;

  beforeAll(async () => {
    gh = await startGitHubStandIn({ apiPrefix: '/api/v3', description: 'ghes-3.19' });
    const app = gh.state.createApp();
    const user = gh.state.createUser('enterprise-user');
    userId = user.id;
    installationId = String(
      gh.state.createInstallation({ appId: app.id, account: 'corp', repos: ['corp/service'], userIds: [user.id] }).id,
    );
    gh.state.createRepo({ fullName: 'corp/service', defaultBranch: 'develop' });
    adapters = createGitHubAdapters({
      appId: String(app.id),
      privateKey: app.privateKey,
      baseUrl: gh.apiUrl,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
    oauth = new OctokitGitHubOAuth({
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      baseUrl: gh.apiUrl,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
  });
  afterAll(async () => {
    await gh.close();
  });

  it('mints installation tokens and calls the REST API under /api/v3', async () => {
    expect(gh.apiUrl).toMatch(/\/api\/v3$/);
    expect(await adapters.results.defaultBranch({ installationId, repo: 'corp/service' })).toBe('develop');
    expect(gh.calls('apps/create-installation-access-token')[0]?.path).toBe(
      `/api/v3/app/installations/${installationId}/access_tokens`,
    );
  });

  it('sends the browser and the token exchange to the server root', async () => {
    const verifier = randomBytes(32).toString('base64url');
    const url = new URL(
      oauth.authorizationUrl({
        state: 's',
        codeChallenge: createHash('sha256').update(verifier).digest('base64url'),
        redirectUrl: 'http://gw/cb',
      }),
    );
    expect(`${url.origin}${url.pathname}`).toBe(`${gh.webUrl}/login/oauth/authorize`);
    gh.signInAs(userId);
    const approved = await fetch(url, { redirect: 'manual' });
    const code = new URL(approved.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const tokens = await oauth.exchangeCode({ code, codeVerifier: verifier, redirectUrl: 'http://gw/cb' });
    expect(await oauth.user(tokens.accessToken)).toEqual({ id: String(userId), login: 'enterprise-user' });
    expect((await oauth.installations(tokens.accessToken)).map((i) => i.id)).toEqual([installationId]);
    expect(gh.calls('oauth/access_token')[0]?.path).toBe('/login/oauth/access_token');
  });

  it('re-mints after GitHub refuses a cached installation token', async () => {
    await adapters.results.defaultBranch({ installationId, repo: 'corp/service' });
    const mints = gh.calls('apps/create-installation-access-token').length;
    gh.state.installationTokens.clear();
    await expect(adapters.results.defaultBranch({ installationId, repo: 'corp/service' })).rejects.toMatchObject({
      code: 'GITHUB_UNAUTHORIZED',
    });
    expect(await adapters.results.defaultBranch({ installationId, repo: 'corp/service' })).toBe('develop');
    expect(gh.calls('apps/create-installation-access-token').length).toBe(mints + 1);
  });

  it('sent only requests the GHES REST description allows', () => {
    expect(gh.violations()).toEqual([]);
  });
});
