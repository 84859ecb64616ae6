/**
 * The error taxonomy. Every error the system raises on purpose carries a stable code that APIs,
 * task records and logs expose; messages are for humans and may change.
 */
export const ERROR_CODES = {
  CONFIG_INVALID: 'config is invalid',
  REDIS_EVICTION_POLICY: 'redis maxmemory-policy is not noeviction',
  DEPENDENCY_UNAVAILABLE: 'a dependency is unavailable',
  NOT_FOUND: 'not found',
  UNAUTHORIZED: 'unauthorized',
  VALIDATION_FAILED: 'validation failed',
  JOB_PAYLOAD_INVALID: 'job payload is invalid',
  TASK_NOT_FOUND: 'task not found',
  TASK_TIMEOUT: 'task exceeded its time limit',
  TASK_ABANDONED: 'task abandoned at shutdown',
  TASK_PUBLISHING: 'task is publishing its result and can no longer be cancelled',
  TASK_NOT_RUNNING: 'task was finished elsewhere; this attempt publishes nothing',
  RUNNER_UNAVAILABLE: 'agent runner is unavailable',
  RUNNER_FAILED: 'agent runner failed',
  MIGRATION_FAILED: 'migration failed',
  TASK_STALLED: 'task stopped heartbeating',
  TASK_BUDGET_TOKENS: 'task exceeded its token limit',
  TASK_BUDGET_COST: 'task exceeded its cost limit',
  BUDGET_MONTHLY: "installation's monthly budget is used up",
  REPO_NAME_INVALID: 'repository name is invalid',
  REPO_TOO_LARGE: 'repository is over the size limit',
  REPO_TOO_MANY_FILES: 'repository is over the file limit',
  INDEX_PARSE_FAILED: 'a parse thread of the repository index failed',
  MODEL_API_ERROR: 'the model API failed',
  MODEL_AUTH_FAILED: 'the model API refused the credentials',
  MODEL_OVERLOADED: 'the model API is overloaded',
  REPLY_NOT_CONFIGURED: 'a reply to Slack, Jira or Sentry needs a setting that is missing',
  REPLY_AUTH_FAILED: 'Slack, Jira or Sentry refused the configured credentials',
  REPLY_API_ERROR: 'Slack, Jira or Sentry refused the reply',
  REPLY_RATE_LIMITED: 'Slack, Jira or Sentry is rate limiting replies',
  REPLY_UNREACHABLE: 'Slack, Jira or Sentry is not reachable',
} as const;

export type ErrorCode = keyof typeof ERROR_CODES | (string & {});

export class AppError extends Error {
  readonly code: ErrorCode;
  /** Expected failures (bad input, a missing row) are not bugs and are logged at a lower level. */
  readonly expected: boolean;

  constructor(code: ErrorCode, message: string, options: { cause?: unknown; expected?: boolean } = {}) {
    super(message, { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.expected = options.expected ?? false;
  }
}

/**
 * A job failure that retrying cannot fix (bad payload, task deleted, a budget exceeded). The queue
 * adapter turns it into the queue library's "do not retry" error.
 */
export class PermanentJobError extends AppError {
  constructor(code: ErrorCode, message: string, options: { cause?: unknown } = {}) {
    super(code, message, { ...options, expected: true });
    this.name = 'PermanentJobError';
  }
}

export function errorCodeOf(error: unknown): string {
  if (error instanceof AppError) return error.code;
  return 'INTERNAL';
}
