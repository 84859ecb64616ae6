export { createOctokit, GitHubOctokit, type CreateOctokitOptions } from './create-octokit.js';
export { createGitHubApp, type CreateGitHubAppOptions } from './create-github-app.js';
export {
  InstallationTokenCache,
  DEFAULT_MIN_REMAINING_MS,
  type InstallationTokenCacheOptions,
} from './installation-token-cache.js';
export { InstallationOctokits, splitRepo } from './installation-octokit.js';
export { OctokitRepositoryPermissions } from './octokit-repository-permissions.js';
export { OctokitGitHubResults } from './octokit-github-results.js';
export { OctokitGitHubOAuth, type OctokitGitHubOAuthOptions } from './oauth/octokit-github-oauth.js';
export { APP_PERMISSIONS, APP_EVENTS, buildAppManifest, manifestFormAction, convertAppManifest } from './app-manifest.js';
export { githubWebUrl } from './github-web-url.js';
export { toGitHubError } from './github-errors.js';
export { createGitHubAdapters, type GitHubAdapterOptions, type GitHubAdapters } from './create-github-adapters.js';
