import { createHash, createSign, randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type GitHubStandIn, startGitHubStandIn } from './github-stand-in.js';

function appJwt(appId: number, privateKey: string, offsets: { iat?: number; exp?: number } = {}): string {
  const now = Math.floor(Date.now() / 1000);
  const header = Buffer.from(JSON.stringify({ alg: 'RS256', typ: 'JWT' })).toString('base64url');
  const payload = Buffer.from(
    JSON.stringify({ iss: String(appId), iat: now + (offsets.iat ?? -30), exp: now + (offsets.exp ?? 540) }),
  ).toString('base64url');
  const signature = createSign('RSA-SHA256').update(`${header}.${payload}`).sign(privateKey).toString('base64url');
  return `${header}.${payload}.${signature}`;
}

describe('GitHub stand-in', () => {
  let gh: GitHubStandIn;
  const api = (path: string, init: RequestInit & { token?: string } = {}) =>
    fetch(`${gh.apiUrl}${path}`, {
      ...init,
      headers: {
        'content-type': 'application/json',
        ...(init.token ? { authorization: `token ${init.token}` } : {}),
        ...(init.headers as Record<string, string>),
      },
    });

  beforeAll(async () => {
    gh = await startGitHubStandIn();
  });
  afterAll(async () => {
    await gh.close();
  });

  it('flags a path that no REST operation has, and answers 404', async () => {
    const before = gh.requests.length;
    const response = await api('/repos/a/b/not-an-endpoint');
    expect(response.status).toBe(404);
    expect(gh.requests.slice(before)[0]?.violations[0]).toMatch(/no operation in the REST description/);
  });

  it('flags a missing required body property and a mistyped one, and answers 422', async () => {
    const before = gh.requests.length;
    const missing = await api('/repos/a/b/issues/1/comments', { method: 'POST', body: JSON.stringify({}) });
    expect(missing.status).toBe(422);
    const mistyped = await api('/repos/a/b/pulls', {
      method: 'POST',
      body: JSON.stringify({ head: 'x', base: 'main', draft: 'yes' }),
    });
    expect(mistyped.status).toBe(422);
    const violations = gh.requests.slice(before).flatMap((r) => r.violations);
    expect(violations).toEqual([
      'issues/create-comment: required body property "body" is missing',
      'pulls/create: body property "draft" must be boolean, got "yes"',
    ]);
  });

  it('flags a missing required query parameter and a value outside its enum', async () => {
    const before = gh.requests.length;
    expect((await api('/search/issues')).status).toBe(422);
    expect((await api('/repos/a/b/pulls?state=merged')).status).toBe(422);
    expect(gh.requests.slice(before).flatMap((r) => r.violations)).toEqual([
      'search/issues-and-pull-requests: required query parameter "q" is missing',
      'pulls/list: query parameter "state" must be one of open, closed, all',
    ]);
  });

  it('mints installation tokens only for a JWT signed with the app key, with the configured lifetime', async () => {
    const app = gh.state.createApp();
    const other = gh.state.createApp();
    const installation = gh.state.createInstallation({ appId: app.id, account: 'octo-org', repos: ['octo-org/widgets'] });
    gh.state.createRepo({ fullName: 'octo-org/widgets', defaultBranch: 'trunk' });
    gh.tuning.installationTokenTtlMs = 5 * 60_000;
    const minted = await api(`/app/installations/${installation.id}/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appJwt(app.id, app.privateKey)}` },
    });
    expect(minted.status).toBe(201);
    const body = (await minted.json()) as { token: string; expires_at: string };
    expect(Date.parse(body.expires_at) - Date.now()).toBeLessThanOrEqual(5 * 60_000);
    expect(Date.parse(body.expires_at) - Date.now()).toBeGreaterThan(4 * 60_000);
    const repo = await api('/repos/octo-org/widgets', { token: body.token });
    expect(((await repo.json()) as { default_branch: string }).default_branch).toBe('trunk');

    const wrongKey = await api(`/app/installations/${installation.id}/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appJwt(app.id, other.privateKey)}` },
    });
    expect(wrongKey.status).toBe(401);
    const expired = await api(`/app/installations/${installation.id}/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appJwt(app.id, app.privateKey, { iat: -700, exp: -60 })}` },
    });
    expect(expired.status).toBe(401);
    gh.tuning.installationTokenTtlMs = 60 * 60_000;
  });

  it('runs the OAuth web flow with PKCE and single-use refresh tokens', async () => {
    const app = gh.state.createApp();
    const user = gh.state.createUser('octocat');
    gh.state.createInstallation({ appId: app.id, account: 'octocat', accountType: 'User', userIds: [user.id] });
    gh.signInAs(user.id);
    const verifier = randomBytes(32).toString('base64url');
    const challenge = createHash('sha256').update(verifier).digest('base64url');
    const authorizeUrl = new URL(`${gh.webUrl}/login/oauth/authorize`);
    authorizeUrl.search = new URLSearchParams({
      client_id: app.clientId,
      redirect_uri: 'http://app.test/cb',
      state: 's1',
      code_challenge: challenge,
      code_challenge_method: 'S256',
    }).toString();
    const approved = await fetch(authorizeUrl, { redirect: 'manual' });
    const location = new URL(approved.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('s1');
    const code = location.searchParams.get('code') ?? '';

    const exchange = (body: Record<string, string>) =>
      fetch(`${gh.webUrl}/login/oauth/access_token`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ client_id: app.clientId, client_secret: app.clientSecret, ...body }),
      }).then((r) => r.json() as Promise<Record<string, string>>);

    // A wrong verifier burns the code, as on GitHub.
    expect((await exchange({ code, code_verifier: 'wrong' })).error).toBe('bad_verification_code');
    const again = await fetch(authorizeUrl, { redirect: 'manual' });
    const code2 = new URL(again.headers.get('location') ?? '').searchParams.get('code') ?? '';
    const tokens = await exchange({ code: code2, code_verifier: verifier });
    expect(tokens.access_token).toMatch(/^ghu_/);
    const installations = (await (await api('/user/installations', { token: tokens.access_token })).json()) as {
      total_count: number;
    };
    expect(installations.total_count).toBe(1);

    const refreshed = await exchange({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' });
    expect(refreshed.access_token).toMatch(/^ghu_/);
    expect((await exchange({ grant_type: 'refresh_token', refresh_token: tokens.refresh_token ?? '' })).error).toBe(
      'bad_refresh_token',
    );
    expect((await api('/user', { token: tokens.access_token })).status).toBe(401);
    expect((await api('/user', { token: refreshed.access_token })).status).toBe(200);
  });

  it('turns a posted manifest into an app through the conversion endpoint, once', async () => {
    const manifest = {
      name: 'agent-bot',
      url: 'http://app.test',
      redirect_url: 'http://app.test/setup/callback',
      hook_attributes: { url: 'http://app.test/webhooks/github' },
    };
    const posted = await fetch(`${gh.webUrl}/settings/apps/new?state=xyz`, {
      method: 'POST',
      body: new URLSearchParams({ manifest: JSON.stringify(manifest) }),
      redirect: 'manual',
    });
    const location = new URL(posted.headers.get('location') ?? '');
    expect(location.searchParams.get('state')).toBe('xyz');
    const code = location.searchParams.get('code') ?? '';
    const converted = await api(`/app-manifests/${code}/conversions`, { method: 'POST' });
    expect(converted.status).toBe(201);
    expect(((await converted.json()) as { pem: string }).pem).toContain('BEGIN RSA PRIVATE KEY');
    expect((await api(`/app-manifests/${code}/conversions`, { method: 'POST' })).status).toBe(404);
  });

  it('serves issues, pull requests, reactions and the installation repository list', async () => {
    const app = gh.state.createApp({ name: 'reactor' });
    const installation = gh.state.createInstallation({ appId: app.id, account: 'octo-org', repos: ['octo-org/gizmo'] });
    gh.state.createRepo({ fullName: 'octo-org/gizmo' });
    gh.state.addIssue({ repo: 'octo-org/gizmo', number: 1, title: 'Bug' });
    gh.state.addIssue({ repo: 'octo-org/gizmo', number: 2, title: 'Fix' });
    gh.state.addPull({ repo: 'octo-org/gizmo', number: 2, head: 'octo-org:fix', base: 'main' });
    const comment = gh.state.addComment({ repo: 'octo-org/gizmo', issueNumber: 1, body: '@agent-bot fix it', user: 'octocat' });
    const minted = await api(`/app/installations/${installation.id}/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appJwt(app.id, app.privateKey)}` },
    });
    const { token } = (await minted.json()) as { token: string };
    expect(((await (await api('/repos/octo-org/gizmo/issues/1', { token })).json()) as { title: string }).title).toBe('Bug');
    expect(
      ((await (await api('/repos/octo-org/gizmo/issues/2', { token })).json()) as { pull_request?: unknown }).pull_request,
    ).toBeDefined();
    expect(((await (await api('/repos/octo-org/gizmo/pulls/2', { token })).json()) as { head: { ref: string } }).head.ref).toBe(
      'fix',
    );
    const react = () =>
      api(`/repos/octo-org/gizmo/issues/comments/${comment.id}/reactions`, {
        method: 'POST',
        token,
        body: JSON.stringify({ content: 'eyes' }),
      });
    expect((await react()).status).toBe(201);
    expect((await react()).status).toBe(200);
    expect(gh.state.reactions).toEqual([
      expect.objectContaining({ subject: 'issue_comment', subjectId: comment.id, content: 'eyes', user: 'reactor[bot]' }),
    ]);
    const listed = (await (await api('/installation/repositories', { token })).json()) as { total_count: number };
    expect(listed.total_count).toBe(1);
  });

  it('holds an answer until released: the request already took effect, the caller still waits', async () => {
    const app = gh.state.createApp({ name: 'holder' });
    const installation = gh.state.createInstallation({ appId: app.id, account: 'octo-org', repos: ['octo-org/held'] });
    gh.state.createRepo({ fullName: 'octo-org/held' });
    const minted = await api(`/app/installations/${installation.id}/access_tokens`, {
      method: 'POST',
      headers: { authorization: `Bearer ${appJwt(app.id, app.privateKey)}` },
    });
    const { token } = (await minted.json()) as { token: string };
    const hold = gh.hold('pulls/create');
    let answered = false;
    const response = api('/repos/octo-org/held/pulls', {
      method: 'POST',
      token,
      body: JSON.stringify({ head: 'agent-bot/t-1', base: 'main', title: 'held' }),
    }).then((r) => {
      answered = true;
      return r;
    });
    const held = await hold.arrived;
    expect(held).toMatchObject({ operation: 'pulls/create', status: 201 });
    // GitHub has the pull request; its creator has not heard so yet.
    expect(gh.state.pulls.filter((p) => p.repo === 'octo-org/held')).toHaveLength(1);
    // Other operations are not held.
    expect((await api('/repos/octo-org/held/pulls?state=open', { token })).status).toBe(200);
    expect(answered).toBe(false);
    hold.release();
    expect((await response).status).toBe(201);
  });

  it('recorded no violations in the conforming requests above', () => {
    const expected = gh.requests.filter((r) => r.path.startsWith('/repos/a/b/') || r.path === '/search/issues');
    const unexpected = gh.requests.filter((r) => !expected.includes(r)).flatMap((r) => r.violations);
    expect(unexpected).toEqual([]);
  });
});
