import { randomBytes } from 'node:crypto';
import { createSql, SecretCipher, secretContext } from '@agent-bot/db';
import { createLogger } from '@agent-bot/observability';
import { type GitHubStandIn, startGitHubStandIn } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GitHubGatewayDeps } from '../../deps.js';
import { createGitHubGatewayDeps } from '../../github-deps.js';
import { SESSION_COOKIE } from '../../plugins/session.js';
import { approveSignIn, cookiesOf, runManifestFlow } from '../../test-support/github-flow.js';
import { createTestGateway, type TestGateway } from '../../test-support/test-gateway.js';
import { s256 } from './flow-state.js';

describe('GitHub App setup and OAuth sign-in, end to end against the stand-in', () => {
  let gh: GitHubStandIn;
  let gateway: TestGateway;
  let github: GitHubGatewayDeps;
  const encryptionKey = randomBytes(32);
  const logLines: string[] = [];
  let userId: number;
  let installationId: number;

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    // Everything the gateway logs, at the most verbose level, for the leak check at the end.
    const logger = createLogger({
      name: 'gateway-test',
      level: 'trace',
      destination: { write: (line: string) => logLines.push(line) },
    });
    gateway = await createTestGateway({
      overrides: ({ db, sessions }) => {
        github = createGitHubGatewayDeps({
          sql: db.sql,
          encryptionKey,
          previousEncryptionKeys: [],
          apiUrl: gh.apiUrl,
          appFromEnvironment: undefined,
          sessions,
          logger,
        });
        return { logger, github };
      },
    });
  });
  afterAll(async () => {
    await gateway?.close();
    await gh?.close();
  });

  const accessTokenCalls = () => gh.calls('oauth/access_token').length;
  const callback = (url: string, cookie?: string) =>
    gateway.app.inject({ method: 'GET', url, headers: cookie ? { cookie } : {} });

  it('creates the app through the manifest flow and stores its credentials encrypted', async () => {
    const before = await gateway.app.inject({ method: 'GET', url: '/oauth/github/authorize' });
    expect(before.statusCode).toBe(503);
    expect(before.json().error.code).toBe('GITHUB_NOT_CONFIGURED');

    const { setup, action, manifest, callback: done } = await runManifestFlow(gateway.app);
    expect(setup.statusCode).toBe(200);
    expect(action.startsWith(`${gh.webUrl}/settings/apps/new?state=`)).toBe(true);
    expect(manifest).toMatchObject({
      hook_attributes: { url: 'http://localhost:8080/webhooks/github' },
      redirect_url: 'http://localhost:8080/setup/callback',
      callback_urls: ['http://localhost:8080/oauth/github/callback'],
      default_permissions: { contents: 'write', issues: 'write', pull_requests: 'write', metadata: 'read', actions: 'read' },
      default_events: ['issue_comment', 'issues', 'pull_request', 'pull_request_review', 'pull_request_review_comment'],
    });
    expect(done.statusCode).toBe(200);
    expect(done.body).toContain('GitHub App created');
    expect(gh.calls('apps/create-from-manifest')).toHaveLength(1);

    const created = [...gh.state.apps.values()][0];
    const stored = await github.app.credentials();
    expect(stored).toMatchObject({
      appId: String(created?.id),
      clientId: created?.clientId,
      clientSecret: created?.clientSecret,
      privateKey: created?.privateKey,
      webhookSecret: created?.webhookSecret,
    });
    const [row] = await gateway.db.sql`select * from github_app`;
    expect(JSON.stringify(row)).not.toContain(created?.clientSecret);
    expect(JSON.stringify(row)).not.toContain('PRIVATE KEY');

    const user = gh.state.createUser('octocat');
    userId = user.id;
    installationId = gh.state.createInstallation({ appId: created?.id ?? 0, account: 'octo-org', userIds: [user.id] }).id;
    gh.state.createInstallation({ appId: created?.id ?? 0, account: 'someone-else', userIds: [] });
    gh.signInAs(user.id);
  });

  it('refuses the setup page and callback to anyone but an operator', async () => {
    expect((await gateway.app.inject({ method: 'GET', url: '/setup' })).statusCode).toBe(401);
    expect((await gateway.app.inject({ method: 'GET', url: '/setup/callback?code=x&state=y' })).statusCode).toBe(401);
  });

  it('signs a user in: authorize -> GitHub -> callback -> token -> installations -> session', async () => {
    // Short-lived tokens so the refresh test below has something to refresh.
    gh.tuning.userTokenTtlMs = 2 * 60_000;
    const flow = await approveSignIn(gateway.app);
    expect(flow.authorize.statusCode).toBe(302);
    expect(flow.authorizeUrl.searchParams.get('code_challenge_method')).toBe('S256');
    expect(flow.authorizeUrl.searchParams.get('state')).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect([flow.authorize.headers['set-cookie']].flat().join(';')).toMatch(/agentbot_oauth_state=.*HttpOnly/);

    const done = await callback(flow.callbackUrl, flow.cookie);
    expect(done.statusCode).toBe(302);
    expect(done.headers.location).toBe('/');
    const session = cookiesOf(done)[SESSION_COOKIE] ?? '';
    const me = await gateway.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: session } });
    expect(me.json().principal).toEqual({ kind: 'user', id: String(userId), login: 'octocat' });

    expect(await github.users.installationsOf(String(userId))).toEqual([
      { id: String(installationId), accountLogin: 'octo-org', accountType: 'Organization', repositorySelection: 'selected' },
    ]);
    const exchange = gh.calls('oauth/access_token').at(-1);
    expect((exchange?.body as Record<string, string> | undefined)?.code_verifier).toMatch(/^[A-Za-z0-9_-]{64}$/);
    const grant = gh.state.userGrants.find((g) => g.userId === userId);
    const [row] = await gateway.db.sql`select * from github_users where id = ${userId}`;
    expect(JSON.stringify(row)).not.toContain(grant?.accessToken.token);
    expect(JSON.stringify(row)).not.toContain(grant?.refreshToken.token);
  });

  it('refuses a callback without state, without the cookie, or with a forged cookie, before any exchange', async () => {
    const flow = await approveSignIn(gateway.app);
    const calls = accessTokenCalls();
    const noState = await callback(`/oauth/github/callback?code=${flow.code}`, flow.cookie);
    expect(noState.statusCode).toBe(400);
    expect(noState.json().error.code).toBe('OAUTH_STATE_MISSING');
    const noCookie = await callback(flow.callbackUrl);
    expect(noCookie.json().error.code).toBe('OAUTH_STATE_MISSING');
    const forged = await callback(flow.callbackUrl, `agentbot_oauth_state=${flow.state}.x`);
    expect(forged.json().error.code).toBe('OAUTH_STATE_MISMATCH');
    expect(accessTokenCalls()).toBe(calls);
  });

  it("refuses another browser's state (mismatch) before any exchange", async () => {
    const mine = await approveSignIn(gateway.app);
    const theirs = await approveSignIn(gateway.app);
    const calls = accessTokenCalls();
    const response = await callback(theirs.callbackUrl, mine.cookie);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('OAUTH_STATE_MISMATCH');
    expect(accessTokenCalls()).toBe(calls);
  });

  it('refuses a reused state before any exchange', async () => {
    const flow = await approveSignIn(gateway.app);
    expect((await callback(flow.callbackUrl, flow.cookie)).statusCode).toBe(302);
    const calls = accessTokenCalls();
    const again = await callback(flow.callbackUrl, flow.cookie);
    expect(again.statusCode).toBe(400);
    expect(again.json().error.code).toBe('OAUTH_STATE_REUSED');
    expect(accessTokenCalls()).toBe(calls);
  });

  it('refuses an expired state before any exchange', async () => {
    const flow = await approveSignIn(gateway.app);
    await gateway.db.sql`update oauth_states set expires_at = now() - interval '1 second' where used_at is null`;
    const calls = accessTokenCalls();
    const response = await callback(flow.callbackUrl, flow.cookie);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('OAUTH_STATE_EXPIRED');
    expect(accessTokenCalls()).toBe(calls);
  });

  it('refuses a PKCE verifier that does not match the challenge, before any exchange', async () => {
    const flow = await approveSignIn(gateway.app);
    const hash = (await import('node:crypto')).createHash('sha256').update(flow.state).digest('hex');
    const cipher = new SecretCipher({ currentKey: encryptionKey });
    const otherVerifier = randomBytes(48).toString('base64url');
    await gateway.db
      .sql`update oauth_states set code_verifier_enc = ${cipher.encrypt(otherVerifier, secretContext('oauth_states', hash, 'code_verifier_enc'))} where state_hash = ${hash}`;
    const calls = accessTokenCalls();
    const response = await callback(flow.callbackUrl, flow.cookie);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('OAUTH_PKCE_MISMATCH');
    expect(accessTokenCalls()).toBe(calls);
    expect(s256(otherVerifier)).not.toBe(flow.authorizeUrl.searchParams.get('code_challenge'));
  });

  it('fails closed when GitHub rejects the verifier (a challenge swapped on the way to GitHub)', async () => {
    const flow = await approveSignIn(gateway.app, { tamperChallenge: true });
    const response = await callback(flow.callbackUrl, flow.cookie);
    expect(response.statusCode).toBe(400);
    expect(response.json().error.code).toBe('OAUTH_EXCHANGE_FAILED');
    expect(cookiesOf(response)[SESSION_COOKIE]).toBeUndefined();
  });

  it('refreshes a user token once when two processes ask at the same time', async () => {
    gh.tuning.userTokenTtlMs = 8 * 60 * 60_000;
    gh.tuning.tokenExchangeDelayMs = 300;
    // A second "process": its own pool and its own service instance over the same database.
    const otherSql = createSql({ url: gateway.db.url, poolSize: 2 });
    const other = createGitHubGatewayDeps({
      sql: otherSql,
      encryptionKey,
      previousEncryptionKeys: [],
      apiUrl: gh.apiUrl,
      appFromEnvironment: undefined,
      sessions: gateway.deps.sessions,
      logger: createLogger({ name: 'other', level: 'silent' }),
    });
    try {
      const refreshesBefore = gh
        .calls('oauth/access_token')
        .filter((r) => (r.body as Record<string, string>).grant_type === 'refresh_token').length;
      const [a, b] = await Promise.all([
        github.userTokens.accessToken(String(userId)),
        other.userTokens.accessToken(String(userId)),
      ]);
      const refreshes = gh
        .calls('oauth/access_token')
        .filter((r) => (r.body as Record<string, string>).grant_type === 'refresh_token').length;
      expect(refreshes - refreshesBefore).toBe(1);
      expect(a).toBe(b);
      expect(a).toMatch(/^ghu_/);
      // The new token works and a later call needs no refresh.
      expect(await github.userTokens.accessToken(String(userId))).toBe(a);
      expect((await (await github.app.oauth())?.user(a ?? ''))?.login).toBe('octocat');
    } finally {
      gh.tuning.tokenExchangeDelayMs = 0;
      await otherSql.end();
    }
  });

  it('forgets the tokens and ends the sessions on a 401 from GitHub', async () => {
    const flow = await approveSignIn(gateway.app);
    const session = cookiesOf(await callback(flow.callbackUrl, flow.cookie))[SESSION_COOKIE] ?? '';
    // GitHub no longer knows the token (the user revoked it on github.com).
    gh.state.userGrants.splice(0, gh.state.userGrants.length);
    const oauth = await github.app.oauth();
    await expect(
      github.userTokens.withToken(String(userId), (token) => oauth?.user(token) ?? Promise.resolve(null)),
    ).rejects.toMatchObject({
      code: 'GITHUB_UNAUTHORIZED',
    });
    expect(await github.userTokens.accessToken(String(userId))).toBeNull();
    const me = await gateway.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: session } });
    expect(me.statusCode).toBe(401);
  });

  it('forgets the tokens on a revoked authorization (the webhook path)', async () => {
    const flow = await approveSignIn(gateway.app);
    const session = cookiesOf(await callback(flow.callbackUrl, flow.cookie))[SESSION_COOKIE] ?? '';
    expect(await github.userTokens.revoke(String(userId))).toEqual({ tokensDeleted: true, sessionsRevoked: 1 });
    expect(await github.userTokens.accessToken(String(userId))).toBeNull();
    expect((await gateway.app.inject({ method: 'GET', url: '/api/session', headers: { cookie: session } })).statusCode).toBe(401);
  });

  it('sent GitHub only requests its REST description allows', () => {
    expect(gh.requests.length).toBeGreaterThan(20);
    expect(gh.violations()).toEqual([]);
  });

  it('logged no token, secret, private key, OAuth code or state along the way', () => {
    const log = logLines.join('');
    expect(log).toContain('/oauth/github/callback?');
    expect(log).toContain('code=%5BRedacted%5D&state=%5BRedacted%5D');
    const app = [...gh.state.apps.values()][0];
    const secrets = [
      app?.clientSecret,
      app?.webhookSecret,
      app?.privateKey.split('\n')[1],
      ...gh.state.userGrants.flatMap((g) => [g.accessToken.token, g.refreshToken.token]),
      ...gh.calls('oauth/access_token').flatMap((r) => {
        const body = r.body as Record<string, string>;
        return [body.code, body.code_verifier, body.refresh_token, body.client_secret];
      }),
      ...gh.calls('apps/create-from-manifest').map((r) => r.path.split('/')[2]),
      ...gh.calls('oauth/authorize').map((r) => r.query.state),
    ].filter((value): value is string => typeof value === 'string' && value.length > 0);
    expect(secrets.length).toBeGreaterThan(20);
    for (const secret of secrets) expect(log).not.toContain(secret);
  });
});
