import { AppError, type GitHubAppCredentials, type GitHubAppStore, type GitHubOAuth } from '@agent-bot/contracts';

/** The app as the environment describes it; OAuth fields may be missing (then no sign-in). */
export interface EnvironmentGitHubApp {
  appId: string;
  privateKey: string;
  webhookSecret: string | undefined;
  clientId: string | undefined;
  clientSecret: string | undefined;
}

export interface GitHubAppSourceOptions {
  /** GITHUB_APP_ID and friends; when set, the manifest flow is closed. */
  fromEnvironment: EnvironmentGitHubApp | undefined;
  store: GitHubAppStore;
  /** Builds the OAuth client for a client id/secret (packages/github in production). */
  createOAuth: (input: { clientId: string; clientSecret: string }) => GitHubOAuth;
}

/**
 * Where the gateway gets its GitHub App: the environment first, else the app the manifest flow
 * stored (encrypted). Read lazily and cached, so a freshly created app is used without a restart.
 */
export class GitHubAppSource {
  private cached: Promise<GitHubAppCredentials | null> | undefined;
  private oauthClient: { key: string; client: GitHubOAuth } | undefined;

  constructor(private readonly options: GitHubAppSourceOptions) {}

  get configuredByEnvironment(): boolean {
    return this.options.fromEnvironment !== undefined;
  }

  /** The app's credentials, or null while none is configured or created. */
  async credentials(): Promise<(Partial<GitHubAppCredentials> & { appId: string }) | null> {
    if (this.options.fromEnvironment) return this.options.fromEnvironment;
    this.cached ??= this.options.store.load().catch((error: unknown) => {
      this.cached = undefined;
      throw error;
    });
    return this.cached;
  }

  /** The OAuth client, or null when the app has no client id/secret. */
  async oauth(): Promise<GitHubOAuth | null> {
    const app = await this.credentials();
    if (!app?.clientId || !app.clientSecret) return null;
    const key = `${app.clientId}:${app.clientSecret}`;
    if (this.oauthClient?.key !== key) {
      this.oauthClient = { key, client: this.options.createOAuth({ clientId: app.clientId, clientSecret: app.clientSecret }) };
    }
    return this.oauthClient.client;
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
