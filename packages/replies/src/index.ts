export { SlackReplyChannel, type SlackReplyOptions } from './slack-reply-channel.js';
export { JiraReplyChannel, type JiraReplyOptions, type AdfDocument, toAdf } from './jira-reply-channel.js';
export { SentryReplyChannel, type SentryReplyOptions } from './sentry-reply-channel.js';
export { type HttpOptions, retryAfterSeconds } from './http-json.js';
