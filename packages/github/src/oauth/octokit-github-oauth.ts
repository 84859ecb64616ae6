import {
  AppError,
  type GitHubOAuth,
  type GitHubUserInstallation,
  type GitHubUserProfile,
  type GitHubUserTokens,
} from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import { OAuthApp } from '@octokit/oauth-app';
import { createOctokit, GitHubOctokit, octokitLog, throttleOptions } from '../create-octokit.js';
import { toGitHubError } from '../github-errors.js';
import { githubWebUrl } from '../github-web-url.js';

export interface OctokitGitHubOAuthOptions {
  clientId: string;
  clientSecret: string;
  /** GITHUB_API_URL. */
  baseUrl: string;
  logger: Logger;
}

interface OAuthAuthentication {
  token: string;
  expiresAt?: string;
  refreshToken?: string;
  refreshTokenExpiresAt?: string;
}

function toTokens(authentication: OAuthAuthentication): GitHubUserTokens {
  return {
    accessToken: authentication.token,
    accessTokenExpiresAt: authentication.expiresAt ? new Date(authentication.expiresAt) : null,
    refreshToken: authentication.refreshToken ?? null,
    refreshTokenExpiresAt: authentication.refreshTokenExpiresAt ? new Date(authentication.refreshTokenExpiresAt) : null,
  };
}

/** Wraps an OAuth failure without its request, which holds the client secret and the code. */
function oauthFailure(error: unknown, what: string): AppError {
  const description = (error as { response?: { data?: { error?: unknown } } }).response?.data?.error;
  return new AppError(
    'GITHUB_OAUTH_FAILED',
    `GitHub refused to ${what}${typeof description === 'string' ? ` (${description})` : ''}`,
    { expected: true },
  );
}

/**
 * The GitHub App's OAuth side through @octokit/oauth-app. We build the authorize URL ourselves:
 * oauth-app has no PKCE and would invent `state` with Math.random. The exchange goes through
 * oauth-app with the PKCE verifier added to the token request.
 */
export class OctokitGitHubOAuth implements GitHubOAuth {
  private readonly baseUrl: string;

  constructor(private readonly options: OctokitGitHubOAuthOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  authorizationUrl(input: { state: string; codeChallenge: string; redirectUrl: string }): string {
    const url = new URL(`${githubWebUrl(this.baseUrl)}/login/oauth/authorize`);
    url.searchParams.set('client_id', this.options.clientId);
    url.searchParams.set('redirect_uri', input.redirectUrl);
    url.searchParams.set('state', input.state);
    url.searchParams.set('code_challenge', input.codeChallenge);
    url.searchParams.set('code_challenge_method', 'S256');
    return url.toString();
  }

  async exchangeCode(input: { code: string; codeVerifier: string; redirectUrl: string }): Promise<GitHubUserTokens> {
    try {
      const { authentication } = await this.oauthApp({ code_verifier: input.codeVerifier }).createToken({
        code: input.code,
        redirectUrl: input.redirectUrl,
      });
      return toTokens(authentication as OAuthAuthentication);
    } catch (error) {
      throw oauthFailure(error, 'exchange the OAuth code');
    }
  }

  async refresh(refreshToken: string): Promise<GitHubUserTokens> {
    try {
      const { authentication } = await this.oauthApp().refreshToken({ refreshToken });
      return toTokens(authentication as OAuthAuthentication);
    } catch (error) {
      throw oauthFailure(error, 'refresh the user token');
    }
  }

  async user(accessToken: string): Promise<GitHubUserProfile> {
    const octokit = createOctokit({ baseUrl: this.baseUrl, logger: this.options.logger, auth: accessToken });
    try {
      const { data } = await octokit.rest.users.getAuthenticated();
      return { id: String(data.id), login: data.login };
    } catch (error) {
      throw toGitHubError(error, 'read the signed-in user');
    }
  }

  async installations(accessToken: string): Promise<GitHubUserInstallation[]> {
    const octokit = createOctokit({ baseUrl: this.baseUrl, logger: this.options.logger, auth: accessToken });
    try {
      const installations = await octokit.paginate('GET /user/installations', { per_page: 100 });
      return installations.map((installation) => {
        const account = installation.account as { login?: string; slug?: string; type?: string } | null;
        return {
          id: String(installation.id),
          accountLogin: account?.login ?? account?.slug ?? '',
          accountType: installation.target_type ?? account?.type ?? 'User',
          repositorySelection: installation.repository_selection,
        };
      });
    } catch (error) {
      throw toGitHubError(error, "list the user's installations");
    }
  }

  /**
   * A fresh OAuthApp per exchange, so the PKCE verifier added to the token request belongs to
   * exactly this call. Token requests are not retried: a refresh token works once, and a retry
   * after a lost answer would only burn it.
   */
  private oauthApp(extraBody: Record<string, string> = {}) {
    const Octokit = GitHubOctokit.defaults({
      baseUrl: this.baseUrl,
      log: octokitLog(this.options.logger),
      throttle: throttleOptions(this.options.logger),
      request: { retries: 0 },
      userAgent: 'agent-bot',
    });
    const app = new OAuthApp({
      clientType: 'github-app',
      clientId: this.options.clientId,
      clientSecret: this.options.clientSecret,
      Octokit,
    });
    app.octokit.hook.before('request', (request) => {
      if (String(request.url).endsWith('/login/oauth/access_token')) Object.assign(request, extraBody);
    });
    return app;
  }
}
