import { z } from 'zod';
import { envPositiveInt, optionalSecret } from '../env-types.js';
import type { GitHubEnv } from './github.js';

/** A GitHub login: letters, digits and single hyphens, at most 39 characters. A leading @ is dropped. */
const handle = z
  .string()
  .transform((value) => value.trim().replace(/^@/, ''))
  .pipe(z.string().regex(/^[A-Za-z0-9](?:[A-Za-z0-9-]{0,38})$/, 'must be a GitHub login such as agent-bot (no @)'));

export const webhooksEnv = z.object({
  /** The mention that triggers the bot (`@agent-bot`); also the bot's own login, whose comments are ignored. */
  BOT_HANDLE: handle.default('agent-bot'),
  /** The label that triggers the bot on an issue or pull request. */
  BOT_LABEL: z.string().trim().min(1).max(100).default('agent-bot'),
  // GITHUB_WEBHOOK_SECRET is declared with the GitHub App in schemas/github.ts.
  /** Slack app signing secret (v0 signatures). Unset: Slack webhooks are refused (401). */
  SLACK_SIGNING_SECRET: optionalSecret,
  /** Sentry integration client secret (Sentry-Hook-Signature). Unset: Sentry webhooks are refused (401). */
  SENTRY_CLIENT_SECRET: optionalSecret,
  /** Secret of the Jira admin webhook (X-Hub-Signature). Unset: Jira webhooks are refused (401). */
  JIRA_WEBHOOK_SECRET: optionalSecret,
  /** How often the gateway queues deliveries and tasks stored while Redis was unreachable. */
  WEBHOOK_RECONCILE_INTERVAL_SECONDS: envPositiveInt.max(3600).default(15),
});

/**
 * GITHUB_WEBHOOK_SECRET is declared once, with the GitHub App it belongs to (schemas/github.ts), and
 * read here from there: two declarations merged into one schema let the later one silently win.
 */
export function toWebhooksConfig(env: z.output<typeof webhooksEnv> & Pick<GitHubEnv, 'GITHUB_WEBHOOK_SECRET'>) {
  return {
    botHandle: env.BOT_HANDLE,
    botLabel: env.BOT_LABEL,
    secrets: {
      github: env.GITHUB_WEBHOOK_SECRET,
      slack: env.SLACK_SIGNING_SECRET,
      sentry: env.SENTRY_CLIENT_SECRET,
      jira: env.JIRA_WEBHOOK_SECRET,
    },
    reconcileIntervalMs: env.WEBHOOK_RECONCILE_INTERVAL_SECONDS * 1000,
  };
}
export type WebhooksConfig = ReturnType<typeof toWebhooksConfig>;
