import type { SessionStore } from '@agent-bot/contracts';
import {
  PostgresGitHubAppStore,
  PostgresGitHubUserStore,
  PostgresOAuthStateStore,
  PostgresSecretRotation,
  SecretCipher,
  type Sql,
} from '@agent-bot/db';
import { convertAppManifest, type EnvironmentGitHubApp, GitHubAppSource } from '@agent-bot/github';
import type { Logger } from '@agent-bot/observability';
import type { GitHubGatewayDeps } from './deps.js';
import { GitHubUserTokenService } from './use-cases/github/github-user-tokens.js';

export interface CreateGitHubGatewayDepsOptions {
  sql: Sql;
  /** ENCRYPTION_KEY and the older ENCRYPTION_KEYS. */
  encryptionKey: Buffer;
  previousEncryptionKeys: Buffer[];
  apiUrl: string;
  /** GITHUB_APP_ID and friends, when the operator configured the app. */
  appFromEnvironment: EnvironmentGitHubApp | undefined;
  sessions: SessionStore;
  logger: Logger;
}

/** Composition of the GitHub account side of the gateway (main.ts and tests). */
export function createGitHubGatewayDeps(options: CreateGitHubGatewayDepsOptions): GitHubGatewayDeps {
  const cipher = new SecretCipher({ currentKey: options.encryptionKey, previousKeys: options.previousEncryptionKeys });
  const logger = options.logger.child({ component: 'github' });
  const app = new GitHubAppSource({
    fromEnvironment: options.appFromEnvironment,
    store: new PostgresGitHubAppStore(options.sql, cipher),
    apiUrl: options.apiUrl,
    logger,
  });
  const users = new PostgresGitHubUserStore(options.sql, cipher);
  return {
    apiUrl: options.apiUrl,
    app,
    users,
    oauthStates: new PostgresOAuthStateStore(options.sql, cipher),
    userTokens: new GitHubUserTokenService({ users, sessions: options.sessions, oauth: () => app.oauth(), logger }),
    secretRotation: new PostgresSecretRotation(options.sql, cipher),
    convertManifest: (code) => convertAppManifest({ apiUrl: options.apiUrl, code, logger }),
  };
}
