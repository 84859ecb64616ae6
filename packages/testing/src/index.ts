export { createTestDatabase, TEST_POSTGRES_ADMIN_URL, type TestDatabase } from './test-database.js';
export { uniqueRedisPrefix, deleteRedisPrefix, TEST_REDIS_URL } from './test-redis.js';
export { waitFor } from './wait-for.js';
export { freePort } from './free-port.js';
export { startRedisServer, type RedisServer } from './redis-server.js';
export { startPostgresServer, type PostgresServer } from './postgres-server.js';
export { spawnSource, type SourceProcess } from './spawn-source.js';
export { waitForHttp } from './wait-for-http.js';
export { createLocalGitRemote, type LocalGitRemote } from './git-fixtures.js';
export {
  startAnthropicStandIn,
  type AnthropicStandIn,
  type AnthropicStep,
  type RecordedAnthropicRequest,
} from './anthropic-stand-in.js';
export { claudeBinary } from './claude-binary.js';
export { startOllamaStandIn, type OllamaStandIn, type OllamaStep, type RecordedOllamaChat } from './ollama-stand-in.js';
export {
  startGitHubStandIn,
  type GitHubStandIn,
  type GitHubStandInOptions,
  type RecordedRequest,
} from './github-stand-in/github-stand-in.js';
export type { ResponseHold } from './github-stand-in/response-holds.js';
export {
  openApiChecker,
  OpenApiChecker,
  type OpenApiDescription,
  type CheckResult,
  type OperationMatch,
} from './github-stand-in/openapi-checker.js';
export type {
  StandInState,
  StandInApp,
  StandInUser,
  StandInInstallation,
  StandInRepo,
  StandInPermission,
  StandInComment,
  StandInPull,
  StandInReviewComment,
  StandInIssue,
  StandInReaction,
} from './github-stand-in/state.js';
export type { StandInTuning } from './github-stand-in/types.js';
export {
  startProviderStandIn,
  type ProviderStandIn,
  type RecordedApiRequest,
  type StandInResponse,
} from './reply-stand-ins/stand-in-server.js';
export { startSlackStandIn, type SlackStandIn } from './reply-stand-ins/slack-stand-in.js';
export { startJiraStandIn, type JiraStandIn } from './reply-stand-ins/jira-stand-in.js';
export { startSentryStandIn, type SentryStandIn } from './reply-stand-ins/sentry-stand-in.js';
