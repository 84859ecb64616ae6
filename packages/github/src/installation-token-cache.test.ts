import { createLogger } from '@agent-bot/observability';
import { type GitHubStandIn, startGitHubStandIn } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubAdapters } from './create-github-adapters.js';

describe('InstallationTokenCache against the GitHub stand-in', () => {
  let gh: GitHubStandIn;
  let installationId: string;
  let clock = Date.now();
  let adapters: ReturnType<typeof createGitHubAdapters>;

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    const app = gh.state.createApp();
    installationId = String(gh.state.createInstallation({ appId: app.id, account: 'octo-org', repos: ['octo-org/widgets'] }).id);
    gh.state.createRepo({ fullName: 'octo-org/widgets' });
    adapters = createGitHubAdapters({
      appId: String(app.id),
      privateKey: app.privateKey,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
      baseUrl: gh.apiUrl,
      logger: createLogger({ name: 'test', level: 'silent' }),
      now: () => clock,
    });
  });
  afterAll(async () => {
    await gh.close();
  });

  const mints = () => gh.calls('apps/create-installation-access-token').length;

  it('mints a token with an app JWT and reuses it while more than 10 minutes remain', async () => {
    const first = await adapters.installationTokens.get(installationId);
    const second = await adapters.installationTokens.get(installationId);
    expect(first.token).toMatch(/^ghs_/);
    expect(second.token).toBe(first.token);
    expect(mints()).toBe(1);
    expect(first.expiresAt.getTime()).toBeGreaterThan(Date.now() + 50 * 60_000);
  });

  it('re-mints when less than 10 minutes remain', async () => {
    const before = await adapters.installationTokens.get(installationId);
    clock = before.expiresAt.getTime() - 9 * 60_000;
    const after = await adapters.installationTokens.get(installationId);
    expect(after.token).not.toBe(before.token);
    expect(mints()).toBe(2);
    clock = Date.now();
  });

  it('re-mints a token the stand-in issued with a short life, and a caller can demand a fresh one', async () => {
    gh.tuning.installationTokenTtlMs = 5 * 60_000;
    const fresh = await adapters.installationTokens.get(installationId, { minRemainingMs: Number.POSITIVE_INFINITY });
    const count = mints();
    // Five minutes left is below the default threshold, so every call mints.
    const next = await adapters.installationTokens.get(installationId);
    expect(next.token).not.toBe(fresh.token);
    expect(mints()).toBe(count + 1);
    // A caller that only needs one minute (a quick API call) keeps it.
    expect((await adapters.installationTokens.get(installationId, { minRemainingMs: 60_000 })).token).toBe(next.token);
    gh.tuning.installationTokenTtlMs = 60 * 60_000;
  });

  it('shares one mint between concurrent callers', async () => {
    const count = mints();
    const tokens = await Promise.all(
      Array.from({ length: 5 }, () =>
        adapters.installationTokens.get(installationId, { minRemainingMs: Number.POSITIVE_INFINITY }),
      ),
    );
    expect(new Set(tokens.map((t) => t.token)).size).toBe(1);
    expect(mints()).toBe(count + 1);
  });

  it('fails with a clear error for an installation of another app', async () => {
    await expect(adapters.installationTokens.get('999999')).rejects.toMatchObject({ code: 'GITHUB_NOT_FOUND' });
  });

  it("sent only requests that GitHub's REST description allows", () => {
    expect(gh.violations()).toEqual([]);
  });
});
