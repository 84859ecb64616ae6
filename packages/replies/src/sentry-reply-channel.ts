import { AppError, type ReplyChannel, type Task } from '@agent-bot/contracts';
import { type HttpOptions, contextString, excerpt, sendJson } from './http-json.js';

export interface SentryReplyOptions extends HttpOptions {
  /** https://sentry.io, or a self-hosted Sentry (SENTRY_API_URL). */
  apiUrl: string;
  /** An auth token with event:write (SENTRY_AUTH_TOKEN). */
  authToken: string;
}

/**
 * Answers a Sentry task with a comment (a note) on its issue. Metric alerts name no issue, so
 * they have nowhere to reply.
 */
export class SentryReplyChannel implements ReplyChannel {
  private readonly apiUrl: string;

  constructor(private readonly options: SentryReplyOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
  }

  async reply(task: Task, text: string): Promise<{ url?: string } | null> {
    const issueId = contextString(task.context, 'sentryIssueId');
    if (!issueId) return null;
    if (!/^\d+$/.test(issueId)) throw new AppError('REPLY_API_ERROR', `Sentry issue id "${issueId.slice(0, 40)}" is not numeric`);
    const response = await sendJson(
      'Sentry',
      {
        url: `${this.apiUrl}/api/0/issues/${issueId}/comments/`,
        headers: { authorization: `Bearer ${this.options.authToken}` },
        body: { text },
      },
      this.options,
    );
    if (response.status === 401 || response.status === 403) {
      throw new AppError(
        'REPLY_AUTH_FAILED',
        `Sentry refused SENTRY_AUTH_TOKEN (HTTP ${response.status}) commenting on issue ${issueId}`,
      );
    }
    if (response.status !== 201 && response.status !== 200) {
      const detail = (response.json as { detail?: unknown } | undefined)?.detail;
      const reason = typeof detail === 'string' ? detail : excerpt(response.text) || 'no details';
      throw new AppError('REPLY_API_ERROR', `Sentry comment on issue ${issueId} failed (HTTP ${response.status}: ${reason})`);
    }
    const webUrl = contextString(task.context, 'webUrl');
    return { url: webUrl && /^https?:\/\//.test(webUrl) ? webUrl : undefined };
  }
}
