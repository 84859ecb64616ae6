import type { AppConfig } from '@agent-bot/config';
import type { GitHubResults, InstallationTokens } from '@agent-bot/contracts';
import { PostgresGitHubAppStore, SecretCipher, type Sql } from '@agent-bot/db';
import { GitHubAppSource, createGitHubAdapters } from '@agent-bot/github';
import type { Logger } from '@agent-bot/observability';

export type WorkerGitHubPorts = { results: GitHubResults; installationTokens: InstallationTokens };

/**
 * The worker's GitHub App, found the way the gateway finds it: the environment first, else the app
 * created through /setup (stored encrypted, so that needs ENCRYPTION_KEY here too). Returns a
 * function asked per task: a missing app is looked for again every 30 s (GitHubAppSource), so an
 * app created at /setup after the worker started is used without a restart.
 */
export function workerGitHub(config: AppConfig, sql: Sql, logger: Logger): () => Promise<WorkerGitHubPorts | undefined> {
  const { encryptionKey, previousEncryptionKeys } = config.security;
  if (!encryptionKey) {
    const app = config.github.app;
    const fromEnvironment = app
      ? createGitHubAdapters({ appId: app.appId, privateKey: app.privateKey, baseUrl: config.github.apiUrl, logger })
      : undefined;
    return async () => fromEnvironment;
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
  return async () => (await source.adapters()) ?? undefined;
}
