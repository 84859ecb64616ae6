import { z } from 'zod';
import { optionalSecret, urlWithProtocols } from '../env-types.js';

const httpUrl = urlWithProtocols(['http:', 'https:']);
/** An unset or empty URL both mean "not configured". */
const optionalHttpUrl = z.preprocess(
  (value) => (typeof value === 'string' && value.trim() === '' ? undefined : value),
  httpUrl.optional(),
);

/**
 * Where tasks from Slack, Jira and Sentry get their answer. Each provider's reply channel exists
 * only when its credentials are set; without them the task's log says what to set.
 */
export const repliesEnv = z.object({
  /**
   * Slack bot token (xoxb-…, scope chat:write): answers to mentions go into the mention's thread.
   * Slash commands are answered through their response_url, which needs no token.
   */
  SLACK_BOT_TOKEN: optionalSecret,
  /** Slack Web API root (a proxy or a test stand-in); its origin is also accepted for response URLs. */
  SLACK_API_URL: httpUrl.default('https://slack.com/api'),
  /** Jira site the answers are commented on, e.g. https://example.atlassian.net (never a URL from a webhook). */
  JIRA_BASE_URL: optionalHttpUrl,
  /** Atlassian account email that JIRA_API_TOKEN belongs to (basic auth). */
  JIRA_EMAIL: z
    .string()
    .optional()
    .transform((value) => (value === undefined || value.trim() === '' ? undefined : value.trim())),
  /** Atlassian API token of JIRA_EMAIL, allowed to comment on the issues the bot is mentioned in. */
  JIRA_API_TOKEN: optionalSecret,
  /** Sentry auth token (scope event:write) for comments on Sentry issues. */
  SENTRY_AUTH_TOKEN: optionalSecret,
  /** Sentry root: https://sentry.io, or a self-hosted Sentry. */
  SENTRY_API_URL: httpUrl.default('https://sentry.io'),
});

type RepliesEnv = z.output<typeof repliesEnv>;

const JIRA_VARIABLES = ['JIRA_BASE_URL', 'JIRA_EMAIL', 'JIRA_API_TOKEN'] as const;

/** Jira's three settings only work together; reported by loadConfig's superRefine. */
export function repliesProblems(env: RepliesEnv): { path: string; message: string }[] {
  const set = JIRA_VARIABLES.filter((name) => env[name] !== undefined);
  if (set.length === 0 || set.length === JIRA_VARIABLES.length) return [];
  return JIRA_VARIABLES.filter((name) => env[name] === undefined).map((name) => ({
    path: name,
    message: `is required when ${set.join(' and ')} ${set.length === 1 ? 'is' : 'are'} set (Jira replies need JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN)`,
  }));
}

export function toRepliesConfig(env: RepliesEnv) {
  return {
    /** Always present: slash commands need no token; thread replies need botToken. */
    slack: { apiUrl: env.SLACK_API_URL.replace(/\/+$/, ''), botToken: env.SLACK_BOT_TOKEN },
    jira:
      env.JIRA_BASE_URL !== undefined && env.JIRA_EMAIL !== undefined && env.JIRA_API_TOKEN !== undefined
        ? { baseUrl: env.JIRA_BASE_URL.replace(/\/+$/, ''), email: env.JIRA_EMAIL, apiToken: env.JIRA_API_TOKEN }
        : undefined,
    sentry:
      env.SENTRY_AUTH_TOKEN !== undefined
        ? { apiUrl: env.SENTRY_API_URL.replace(/\/+$/, ''), authToken: env.SENTRY_AUTH_TOKEN }
        : undefined,
  };
}
export type RepliesConfig = ReturnType<typeof toRepliesConfig>;
