import type { GitHubAppCredentials, GitHubAppStore } from '@agent-bot/contracts';
import { createLogger } from '@agent-bot/observability';
import { type GitHubStandIn, startGitHubStandIn } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { GitHubAppSource } from './github-app-source.js';

class MemoryAppStore implements GitHubAppStore {
  value: GitHubAppCredentials | null = null;
  loads = 0;
  async load() {
    this.loads += 1;
    return this.value;
  }
  async save(credentials: GitHubAppCredentials) {
    this.value = credentials;
  }
}

describe('GitHubAppSource', () => {
  let gh: GitHubStandIn;
  const logLines: string[] = [];
  const logger = createLogger({ name: 'test', level: 'trace', destination: { write: (line: string) => logLines.push(line) } });

  beforeAll(async () => {
    gh = await startGitHubStandIn();
  });
  afterAll(async () => {
    await gh.close();
  });

  it('finds an app another process stored, once "none" is older than the recheck interval', async () => {
    const store = new MemoryAppStore();
    let now = 0;
    const source = new GitHubAppSource({ fromEnvironment: undefined, store, apiUrl: gh.apiUrl, logger, now: () => now });
    expect(await source.adapters()).toBeNull();
    // Another process (the gateway's /setup) writes the app to the shared store.
    const app = gh.state.createApp();
    store.value = {
      appId: String(app.id),
      privateKey: app.privateKey,
      webhookSecret: app.webhookSecret,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    };
    now = 29_000;
    expect(await source.adapters()).toBeNull();
    expect(store.loads).toBe(1);
    now = 30_000;
    expect(await source.adapters()).not.toBeNull();
    expect(store.loads).toBe(2);
    // Once found, the app is kept: no more loads.
    now = 120_000;
    await source.credentials();
    expect(store.loads).toBe(2);
  });

  it('has nothing before the manifest flow, then picks the stored app up without a restart', async () => {
    const store = new MemoryAppStore();
    const source = new GitHubAppSource({ fromEnvironment: undefined, store, apiUrl: gh.apiUrl, logger });
    expect(await source.adapters()).toBeNull();
    expect(await source.oauth()).toBeNull();
    expect(await source.webhookSecret()).toBeUndefined();

    const app = gh.state.createApp();
    const installation = gh.state.createInstallation({ appId: app.id, account: 'octo-org', repos: ['octo-org/a'] });
    gh.state.createRepo({ fullName: 'octo-org/a', defaultBranch: 'main' });
    await source.saveFromManifest({
      appId: String(app.id),
      privateKey: app.privateKey,
      webhookSecret: app.webhookSecret,
      clientId: app.clientId,
      clientSecret: app.clientSecret,
    });
    const adapters = await source.adapters();
    expect(await adapters?.results.defaultBranch({ installationId: String(installation.id), repo: 'octo-org/a' })).toBe('main');
    expect(await source.webhookSecret()).toBe(app.webhookSecret);
    expect(await source.oauth()).not.toBeNull();
    // Cached: the same adapters (and token cache) until the credentials change.
    expect(await source.adapters()).toBe(adapters);
    const loads = store.loads;
    await source.credentials();
    expect(store.loads).toBe(loads);

    // A token minted here never shows up in a log line, even at trace level.
    const minted = await adapters?.installationTokens.get(String(installation.id));
    expect(logLines.join('')).not.toContain(minted?.token);
    expect(logLines.join('')).not.toContain(app.privateKey.split('\n')[1]);
  });

  it('prefers the environment and then refuses the manifest flow', async () => {
    const app = gh.state.createApp();
    const store = new MemoryAppStore();
    const source = new GitHubAppSource({
      fromEnvironment: {
        appId: String(app.id),
        privateKey: app.privateKey,
        webhookSecret: 'env-secret',
        clientId: undefined,
        clientSecret: undefined,
      },
      store,
      apiUrl: gh.apiUrl,
      logger,
    });
    expect(source.configuredByEnvironment).toBe(true);
    expect(await source.webhookSecret()).toBe('env-secret');
    expect(await source.oauth()).toBeNull();
    await expect(
      source.saveFromManifest({ appId: '1', privateKey: 'x', webhookSecret: 'x', clientId: 'x', clientSecret: 'x' }),
    ).rejects.toMatchObject({
      code: 'GITHUB_APP_FROM_ENVIRONMENT',
    });
    expect(store.value).toBeNull();
    expect(store.loads).toBe(0);
  });

  it("sent only requests that GitHub's REST description allows", () => {
    expect(gh.violations()).toEqual([]);
  });
});
