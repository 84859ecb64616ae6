export { PRIORITIES, prioritySchema, DEFAULT_PRIORITY, type Priority } from './priority.js';
export {
  TASK_STATUSES,
  taskStatusSchema,
  TASK_KINDS,
  taskKindSchema,
  PROVIDERS,
  providerSchema,
  RUNNERS,
  runnerSchema,
  repoFullNameSchema,
  taskRequestSchema,
  type TaskStatus,
  type TaskKind,
  type Provider,
  type RunnerName,
  type TaskRequest,
  type ParsedTaskRequest,
  type Task,
  type TaskEvent,
  type TaskUsage,
  type TaskRun,
  type TaskResultLinks,
} from './task.js';
export {
  jobCatalog,
  JOB_NAMES,
  isJobName,
  parseJobPayload,
  type JobDefinition,
  type JobCatalog,
  type JobName,
  type JobPayload,
} from './job-catalog.js';
export { liveChannels, type LiveEvent, type LiveEventKind } from './live-event.js';
export {
  BOT_RUNNERS,
  botRunnerSchema,
  botIdSchema,
  newBotSchema,
  BOT_LIVE_STATUSES,
  deriveBotStatus,
  CHAT_ROLES,
  type BotRunner,
  type NewBot,
  type ParsedNewBot,
  type BotState,
  type Bot,
  type BotLiveStatus,
  type ChatRole,
  type ChatMessage,
} from './bot.js';
export type {
  BotRepository,
  ChatMessageRepository,
  NewChatMessage,
  ChatHistoryQuery,
} from './ports/bot-repository.port.js';
export type {
  WsSubscription,
  WsClientMessage,
  WsServerMessage,
  BoardBot,
  BoardSnapshot,
} from './ws-protocol.js';
export { AppError, PermanentJobError, ERROR_CODES, errorCodeOf, type ErrorCode } from './errors.js';
export { CallBatcher, type CallBatcherOptions } from './batching/call-batcher.js';
export type {
  JobQueue,
  JobConsumer,
  JobContext,
  JobHandler,
  JobHandlers,
  EnqueueOptions,
  EnqueueResult,
  QueueDepth,
  QueueState,
} from './ports/job-queue.port.js';
export type { EventBus, Unsubscribe } from './ports/event-bus.port.js';
export type {
  AttemptRun,
  TaskRepository,
  TaskEventRepository,
  TaskListFilter,
  NewTaskEvent,
} from './ports/task-repository.port.js';
export type { AgentRunner, AgentRunInput, AgentEvent } from './ports/agent-runner.port.js';
export type { WorkerInfo, WorkerRegistry } from './ports/worker-registry.port.js';
export type {
  RepoPermission,
  RepositoryPermissions,
  InstallationToken,
  InstallationTokens,
  IssueThreadRef,
  GitHubResults,
  PullRequestHead,
} from './ports/github.port.js';
export type { TaskWorkspace, PrepareWorkspaceInput, Workspaces } from './ports/workspace.port.js';
export type {
  IndexedSymbol,
  IndexedFile,
  FileVersion,
  RepositoryIndexStore,
  CodeSearchHit,
} from './ports/repository-index.port.js';
export type { Principal, SessionStore } from './ports/session-store.port.js';
export {
  DELIVERY_STATUSES,
  deliveryStatusSchema,
  WEBHOOK_PROVIDERS,
  webhookProviderSchema,
  type DeliveryStatus,
  type WebhookProvider,
  type Delivery,
  type DeliverySummary,
  type NewDelivery,
} from './delivery.js';
export type { DeliveryRepository, DeliveryListFilter, SettledOutcome } from './ports/delivery-repository.port.js';
export type {
  InstallationRepository,
  InstallationRecord,
  InstallationRepositoryRef,
} from './ports/installation-repository.port.js';
export type { TaskQueueLedger } from './ports/task-queue-ledger.port.js';
export type {
  GitHubAppCredentials,
  GitHubAppStore,
  GitHubUserTokens,
  GitHubUserProfile,
  GitHubUserInstallation,
  GitHubOAuth,
  GitHubUserStore,
  OAuthStatePurpose,
  ConsumedOAuthState,
  OAuthStateStore,
  SecretRotation,
} from './ports/github-account.port.js';
export type { InstallationSpend, StalledTasks } from './ports/task-supervision.port.js';
export type { ReplyChannel } from './ports/reply-channel.port.js';
