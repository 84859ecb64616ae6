import { AppError, type GitHubAppCredentials, type GitHubAppStore, type GitHubOAuth } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import { createGitHubAdapters, type GitHubAdapters } from './create-github-adapters.js';
import { OctokitGitHubOAuth } from './oauth/octokit-github-oauth.js';

/** The app as the environment describes it; OAuth fields may be missing (then no sign-in). */
export interface EnvironmentGitHubApp {
  appId: string;
  privateKey: string;
  webhookSecret: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
}

export type KnownGitHubApp = Partial<GitHubAppCredentials> & { appId: string; privateKey: string };

export interface GitHubAppSourceOptions {
  /** GITHUB_APP_ID and friends; when set, the manifest flow is closed. */
  fromEnvironment: EnvironmentGitHubApp | undefined;
  /** The manifest-created app (packages/db, encrypted). */
  store: GitHubAppStore;
  /** GITHUB_API_URL. */
  apiUrl: string;
  logger: Logger;
  /**
   * While no app exists, how long "none" is believed before the store is asked again (default
   * 30 s): an app created at /setup through another process (a worker, a second gateway) is then
   * found without a restart. A found app is kept; this process's own /setup resets the cache.
   */
  missingRecheckMs?: number;
  now?: () => number;
}

/**
 * Where a process gets its GitHub App: the environment first, else the app the manifest flow
 * stored. Read lazily and cached, so an app created at /setup is used without a restart; the
 * Octokit adapters are rebuilt only when the credentials change. Both the gateway and the worker
 * compose one (the worker passes the same store).
 */
export class GitHubAppSource {
  private cached: { app: Promise<KnownGitHubApp | null>; at: number } | undefined;
  private oauthClient: { key: string; client: GitHubOAuth } | undefined;
  private appAdapters: { key: string; adapters: GitHubAdapters } | undefined;

  constructor(private readonly options: GitHubAppSourceOptions) {}

  get configuredByEnvironment(): boolean {
    return this.options.fromEnvironment !== undefined;
  }

  /** The app's credentials, or null while none is configured or created. */
  async credentials(): Promise<KnownGitHubApp | null> {
    if (this.options.fromEnvironment) return this.options.fromEnvironment;
    const now = (this.options.now ?? Date.now)();
    if (this.cached && (await this.cached.app) === null && now - this.cached.at >= (this.options.missingRecheckMs ?? 30_000)) {
      this.cached = undefined;
    }
    if (!this.cached) {
      const app = this.options.store.load().catch((error: unknown) => {
        this.cached = undefined;
        throw error;
      });
      this.cached = { app, at: now };
    }
    return this.cached.app;
  }

  /** The secret webhook deliveries are signed with, once an app exists. */
  async webhookSecret(): Promise<string | undefined> {
    return (await this.credentials())?.webhookSecret || undefined;
  }

  /** The OAuth client, or null when the app has no client id/secret. */
  async oauth(): Promise<GitHubOAuth | null> {
    const app = await this.credentials();
    if (!app?.clientId || !app.clientSecret) return null;
    const key = `${app.clientId}:${app.clientSecret}`;
    if (this.oauthClient?.key !== key) {
      const client = new OctokitGitHubOAuth({
        clientId: app.clientId,
        clientSecret: app.clientSecret,
        baseUrl: this.options.apiUrl,
        logger: this.options.logger,
      });
      this.oauthClient = { key, client };
    }
    return this.oauthClient.client;
  }

  /** Installation tokens, permissions and results for the app, or null while there is no app. */
  async adapters(): Promise<GitHubAdapters | null> {
    const app = await this.credentials();
    if (!app) return null;
    const key = `${app.appId}:${app.privateKey}`;
    if (this.appAdapters?.key !== key) {
      const adapters = createGitHubAdapters({
        appId: app.appId,
        privateKey: app.privateKey,
        baseUrl: this.options.apiUrl,
        logger: this.options.logger,
      });
      this.appAdapters = { key, adapters };
    }
    return this.appAdapters.adapters;
  }

  /** Stores the app the manifest flow created; refused when the environment configures one. */
  async saveFromManifest(credentials: GitHubAppCredentials): Promise<void> {
    if (this.configuredByEnvironment) {
      throw new AppError(
        'GITHUB_APP_FROM_ENVIRONMENT',
        'GITHUB_APP_ID is set: the app comes from the environment, not the manifest flow',
        {
          expected: true,
        },
      );
    }
    await this.options.store.save(credentials);
    this.cached = undefined;
  }
}
