import type { WebhookProvider } from '@agent-bot/contracts';
import { createGitHubAdapter } from './github/github-adapter.js';
import { createJiraAdapter } from './jira/jira-adapter.js';
import type { WebhookProviderAdapter, WebhookSecretSource } from './provider.js';
import { createSentryAdapter } from './sentry/sentry-adapter.js';
import { createSlackAdapter } from './slack/slack-adapter.js';

export type WebhookAdapters = Record<WebhookProvider, WebhookProviderAdapter>;

export function createWebhookAdapters(
  secrets: Partial<Record<Exclude<WebhookProvider, 'github'>, string | undefined>> & { github?: WebhookSecretSource },
): WebhookAdapters {
  return {
    github: createGitHubAdapter({ secret: secrets.github }),
    slack: createSlackAdapter({ secret: secrets.slack }),
    jira: createJiraAdapter({ secret: secrets.jira }),
    sentry: createSentryAdapter({ secret: secrets.sentry }),
  };
}
