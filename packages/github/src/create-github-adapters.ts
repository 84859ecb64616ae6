import type { GitHubOAuth, GitHubResults, RepositoryPermissions } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import { createGitHubApp } from './create-github-app.js';
import { InstallationOctokits } from './installation-octokit.js';
import { InstallationTokenCache } from './installation-token-cache.js';
import { OctokitGitHubOAuth } from './oauth/octokit-github-oauth.js';
import { OctokitGitHubResults } from './octokit-github-results.js';
import { OctokitRepositoryPermissions } from './octokit-repository-permissions.js';

export interface GitHubAdapterOptions {
  appId: string;
  privateKey: string;
  clientId: string;
  clientSecret: string;
  /** GITHUB_API_URL. */
  baseUrl: string;
  logger: Logger;
  now?: () => number;
}

export interface GitHubAdapters {
  installationTokens: InstallationTokenCache;
  permissions: RepositoryPermissions;
  results: GitHubResults;
  oauth: GitHubOAuth;
}

/** Every GitHub port for one app, sharing one installation-token cache. */
export function createGitHubAdapters(options: GitHubAdapterOptions): GitHubAdapters {
  const logger = options.logger.child({ component: 'github' });
  const app = createGitHubApp({ appId: options.appId, privateKey: options.privateKey, baseUrl: options.baseUrl, logger });
  const installationTokens = new InstallationTokenCache({ app, ...(options.now ? { now: options.now } : {}) });
  const octokits = new InstallationOctokits({ tokens: installationTokens, baseUrl: options.baseUrl, logger });
  return {
    installationTokens,
    permissions: new OctokitRepositoryPermissions(octokits),
    results: new OctokitGitHubResults(octokits),
    oauth: new OctokitGitHubOAuth({
      clientId: options.clientId,
      clientSecret: options.clientSecret,
      baseUrl: options.baseUrl,
      logger,
    }),
  };
}
