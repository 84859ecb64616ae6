import type { InstallationTokens } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import { createOctokit, type GitHubOctokit } from './create-octokit.js';

/**
 * Octokit clients per installation whose every request carries a current installation token from
 * `tokens`, so a long-lived client never sends an expired one.
 */
export class InstallationOctokits {
  private readonly clients = new Map<string, GitHubOctokit>();

  constructor(private readonly options: { tokens: InstallationTokens; baseUrl: string; logger: Logger }) {}

  for(installationId: string): GitHubOctokit {
    let client = this.clients.get(installationId);
    if (!client) {
      client = createOctokit({ baseUrl: this.options.baseUrl, logger: this.options.logger });
      client.hook.before('request', async (request) => {
        const { token } = await this.options.tokens.get(installationId);
        request.headers.authorization = `token ${token}`;
      });
      this.clients.set(installationId, client);
    }
    return client;
  }
}

/** owner/name -> { owner, repo } as Octokit wants it. */
export function splitRepo(fullName: string): { owner: string; repo: string } {
  const [owner, repo, ...rest] = fullName.split('/');
  if (!owner || !repo || rest.length > 0) throw new Error(`repository must be owner/name, got ${fullName}`);
  return { owner, repo };
}
