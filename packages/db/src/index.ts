export { createSql, describeDatabaseUrl, type Sql, type CreateSqlOptions } from './create-sql.js';
export { ensureDatabase } from './ensure-database.js';
export {
  migrate,
  readMigrations,
  expectedSchemaVersion,
  currentSchemaVersion,
  DEFAULT_MIGRATIONS_DIR,
  type Migration,
  type MigrateResult,
} from './migrate.js';
export { pingDatabase } from './ping.js';
export { PostgresTaskRepository, isUuid } from './repositories/postgres-task-repository.js';
export { PostgresTaskEventRepository } from './repositories/postgres-task-event-repository.js';
export { assertDatabaseReachable } from './assert-reachable.js';
export { PostgresRepositoryIndexStore } from './repositories/postgres-repository-index-store.js';
export { PostgresSessionStore } from './repositories/postgres-session-store.js';
export {
  PostgresDeliveryRepository,
  type PostgresDeliveryRepositoryOptions,
} from './repositories/postgres-delivery-repository.js';
export { PostgresInstallationRepository } from './repositories/postgres-installation-repository.js';
export { PostgresTaskQueueLedger } from './repositories/postgres-task-queue-ledger.js';
export { PostgresBotRepository } from './repositories/postgres-bot-repository.js';
export { PostgresChatMessageRepository } from './repositories/postgres-chat-message-repository.js';
export { SecretCipher, keyIdOf, type SecretCipherOptions } from './crypto/secret-cipher.js';
export { ENCRYPTED_COLUMNS, secretContext, type EncryptedColumn } from './crypto/encrypted-columns.js';
export { rotateSecrets, keysInUse, PostgresSecretRotation, type RotationReport } from './crypto/rotate-secrets.js';
export { PostgresGitHubAppStore } from './repositories/postgres-github-app-store.js';
export { PostgresGitHubUserStore } from './repositories/postgres-github-user-store.js';
export { PostgresOAuthStateStore } from './repositories/postgres-oauth-state-store.js';
export { PostgresInstallationSpend, PostgresStalledTasks } from './repositories/postgres-task-supervision.js';
