export {
  loadConfig,
  ConfigError,
  SECRET_NAMES,
  CONFIG_VARIABLES,
  CONFIG_GROUPS,
  type AppConfig,
} from './load-config.js';
export { decodeKey, type EncryptionKeyEntry, type SecurityConfig } from './schemas/security.js';
export type { ServerConfig } from './schemas/server.js';
export type { DatabaseConfig } from './schemas/database.js';
export type { RedisConfig } from './schemas/redis.js';
export type { WorkerConfig } from './schemas/worker.js';
export type { WebhooksConfig } from './schemas/webhooks.js';
export type { DashboardConfig } from './schemas/dashboard.js';
export type { AgentsConfig } from './schemas/agents.js';
export type { GitHubConfig } from './schemas/github.js';
export type { RepliesConfig } from './schemas/replies.js';
export type { ProxyConfig, TrustProxy } from './schemas/proxy.js';
