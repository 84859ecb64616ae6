import type { RepliesConfig } from '@agent-bot/config';
import type { Provider, ReplyChannel } from '@agent-bot/contracts';
import { JiraReplyChannel, SentryReplyChannel, SlackReplyChannel } from '@agent-bot/replies';

export interface ReplyChannels {
  channels: Partial<Record<Provider, ReplyChannel>>;
  /** For each provider without a channel: the settings that would give it one. */
  missing: Partial<Record<Provider, string>>;
}

/**
 * The reply channels whose credentials are configured. Slack's always exists: a slash command is
 * answered through its response_url with no token, and a thread reply without SLACK_BOT_TOKEN fails
 * saying so.
 */
export function buildReplyChannels(config: RepliesConfig): ReplyChannels {
  const channels: Partial<Record<Provider, ReplyChannel>> = {
    slack: new SlackReplyChannel({ apiUrl: config.slack.apiUrl, botToken: config.slack.botToken }),
  };
  const missing: Partial<Record<Provider, string>> = {};
  if (config.jira) channels.jira = new JiraReplyChannel(config.jira);
  else missing.jira = 'set JIRA_BASE_URL, JIRA_EMAIL and JIRA_API_TOKEN to answer on the Jira issue';
  if (config.sentry) channels.sentry = new SentryReplyChannel(config.sentry);
  else missing.sentry = 'set SENTRY_AUTH_TOKEN (and SENTRY_API_URL for a self-hosted Sentry) to answer on the Sentry issue';
  return { channels, missing };
}
