import type { GitHubAppCredentials } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import { createOctokit } from './create-octokit.js';
import { toGitHubError } from './github-errors.js';
import { githubWebUrl } from './github-web-url.js';

/** What agent-bot asks for: write where it posts results, read where it looks. */
export const APP_PERMISSIONS = {
  contents: 'write',
  issues: 'write',
  pull_requests: 'write',
  metadata: 'read',
  actions: 'read',
} as const;

export const APP_EVENTS = [
  'issue_comment',
  'issues',
  'pull_request',
  'pull_request_review',
  'pull_request_review_comment',
] as const;

/** The GitHub App manifest for this deployment (https://docs.github.com/apps/sharing-github-apps/registering-a-github-app-from-a-manifest). */
export function buildAppManifest(input: { publicUrl: string; name: string }) {
  const base = input.publicUrl.replace(/\/+$/, '');
  return {
    name: input.name,
    url: base,
    hook_attributes: { url: `${base}/webhooks/github`, active: true },
    redirect_url: `${base}/setup/callback`,
    callback_urls: [`${base}/oauth/github/callback`],
    setup_url: `${base}/`,
    public: false,
    request_oauth_on_install: false,
    default_permissions: APP_PERMISSIONS,
    default_events: [...APP_EVENTS],
  };
}

/** Where the manifest form posts: the user's or an organization's "new app" page. */
export function manifestFormAction(input: { apiUrl: string; organization?: string | undefined; state: string }): string {
  const web = githubWebUrl(input.apiUrl);
  const path = input.organization
    ? `/organizations/${encodeURIComponent(input.organization)}/settings/apps/new`
    : '/settings/apps/new';
  const url = new URL(`${web}${path}`);
  url.searchParams.set('state', input.state);
  return url.toString();
}

/** Completes the manifest flow: trades the one-time code for the new app's credentials. */
export async function convertAppManifest(input: { apiUrl: string; code: string; logger: Logger }): Promise<GitHubAppCredentials> {
  const octokit = createOctokit({ baseUrl: input.apiUrl, logger: input.logger });
  try {
    const { data } = await octokit.rest.apps.createFromManifest({ code: input.code });
    return {
      appId: String(data.id),
      slug: data.slug,
      htmlUrl: data.html_url,
      privateKey: data.pem,
      webhookSecret: data.webhook_secret ?? '',
      clientId: data.client_id,
      clientSecret: data.client_secret,
    };
  } catch (error) {
    throw toGitHubError(error, 'convert the app manifest');
  }
}
