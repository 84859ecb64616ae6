import type { AppConfig } from '@agent-bot/config';
import type { GitHubResults, InstallationTokens } from '@agent-bot/contracts';
import { PostgresGitHubAppStore, SecretCipher, type Sql } from '@agent-bot/db';
import { GitHubAppSource, createGitHubAdapters } from '@agent-bot/github';
import type { Logger } from '@agent-bot/observability';

/**
 * The worker's GitHub App, found the way the gateway finds it: the environment first, else the app
 * created through /setup (stored encrypted, so that needs ENCRYPTION_KEY here too). Resolved once
 * at startup: a worker started before the app existed is restarted to pick it up.
 */
export async function resolveWorkerGitHub(
  config: AppConfig,
  sql: Sql,
  logger: Logger,
): Promise<{ results: GitHubResults; installationTokens: InstallationTokens } | undefined> {
  const { encryptionKey, previousEncryptionKeys } = config.security;
  if (!encryptionKey) {
    const app = config.github.app;
    return app
      ? createGitHubAdapters({ appId: app.appId, privateKey: app.privateKey, baseUrl: config.github.apiUrl, logger })
      : undefined;
  }
  const source = new GitHubAppSource({
    fromEnvironment: config.github.app,
    store: new PostgresGitHubAppStore(
      sql,
      new SecretCipher({ currentKey: encryptionKey, previousKeys: previousEncryptionKeys.map((k) => k.key) }),
    ),
    apiUrl: config.github.apiUrl,
    logger,
  });
  return (await source.adapters()) ?? undefined;
}
