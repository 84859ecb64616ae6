import { AppError, type ReplyChannel, type Task } from '@agent-bot/contracts';
import { type HttpOptions, contextString, excerpt, sendJson } from './http-json.js';

export interface SlackReplyOptions extends HttpOptions {
  /** Web API root, e.g. https://slack.com/api (SLACK_API_URL). */
  apiUrl: string;
  /** Bot token with chat:write (SLACK_BOT_TOKEN); without it only slash commands can be answered. */
  botToken?: string;
}

/** `{ok:false, error}` codes that mean the token, not the request, is wrong. */
const AUTH_ERRORS = new Set([
  'not_authed',
  'invalid_auth',
  'account_inactive',
  'token_revoked',
  'token_expired',
  'no_permission',
  'missing_scope',
  'not_allowed_token_type',
]);

/** Slack hosts response URLs here; SLACK_API_URL's own origin is accepted too (a proxy, a stand-in). */
const SLACK_RESPONSE_HOSTS = new Set(['hooks.slack.com']);

/**
 * Answers a Slack task where it was asked: a mention gets a reply in its thread
 * (`chat.postMessage` with `thread_ts`), a slash command through its `response_url` (no token
 * needed; if that URL has expired, the channel gets the answer when a bot token is configured).
 */
export class SlackReplyChannel implements ReplyChannel {
  private readonly apiUrl: string;

  constructor(private readonly options: SlackReplyOptions) {
    this.apiUrl = options.apiUrl.replace(/\/+$/, '');
  }

  async reply(task: Task, text: string): Promise<{ url?: string } | null> {
    const channel = contextString(task.context, 'channel');
    const threadTs = contextString(task.context, 'threadTs');
    const responseUrl = contextString(task.context, 'responseUrl');
    if (responseUrl && this.isSlackResponseUrl(responseUrl)) {
      try {
        await this.postToResponseUrl(responseUrl, text);
        return {};
      } catch (error) {
        // response_url lives 30 minutes and takes 5 answers; a long task may outlive it.
        if (!this.options.botToken || !channel) throw error;
      }
    }
    if (!channel) return null;
    return this.postMessage(channel, text, threadTs);
  }

  private isSlackResponseUrl(value: string): boolean {
    try {
      const url = new URL(value);
      if (url.origin === new URL(this.apiUrl).origin) return true;
      return url.protocol === 'https:' && SLACK_RESPONSE_HOSTS.has(url.hostname);
    } catch {
      return false;
    }
  }

  private async postToResponseUrl(responseUrl: string, text: string): Promise<void> {
    // The response URL is its own credential: the bot token is never sent there.
    const response = await sendJson('Slack', { url: responseUrl, body: { text, response_type: 'in_channel' } }, this.options);
    const body = response.json as { ok?: boolean; error?: string } | undefined;
    if (response.status !== 200 || body?.ok === false) {
      const reason = body?.error ?? (excerpt(response.text) || `HTTP ${response.status}`);
      throw new AppError(
        'REPLY_API_ERROR',
        `Slack refused the slash command's response_url (HTTP ${response.status}: ${reason})`,
      );
    }
  }

  private async postMessage(channel: string, text: string, threadTs: string | undefined): Promise<{ url?: string }> {
    const token = this.options.botToken;
    if (!token) {
      throw new AppError(
        'REPLY_NOT_CONFIGURED',
        'Slack thread replies need SLACK_BOT_TOKEN (a bot token with the chat:write scope)',
        { expected: true },
      );
    }
    const body = await this.call('chat.postMessage', token, {
      url: `${this.apiUrl}/chat.postMessage`,
      body: { channel, text, ...(threadTs ? { thread_ts: threadTs } : {}), unfurl_links: false },
    });
    const ts = typeof body.ts === 'string' ? body.ts : undefined;
    return { url: ts ? await this.permalink(token, channel, ts) : undefined };
  }

  /** The link shown in the dashboard; the answer is posted either way, so failures are ignored. */
  private async permalink(token: string, channel: string, ts: string): Promise<string | undefined> {
    try {
      const query = new URLSearchParams({ channel, message_ts: ts });
      const body = await this.call('chat.getPermalink', token, {
        url: `${this.apiUrl}/chat.getPermalink?${query}`,
        method: 'GET',
      });
      return typeof body.permalink === 'string' ? body.permalink : undefined;
    } catch {
      return undefined;
    }
  }

  /** Slack answers most errors with HTTP 200 and `{ok:false, error}`. */
  private async call(
    method: string,
    token: string,
    request: { url: string; method?: 'GET' | 'POST'; body?: unknown },
  ): Promise<Record<string, unknown>> {
    const response = await sendJson('Slack', { ...request, headers: { authorization: `Bearer ${token}` } }, this.options);
    const body = (response.json ?? {}) as Record<string, unknown>;
    if (response.status === 200 && body.ok === true) return body;
    const error = typeof body.error === 'string' ? body.error : `HTTP ${response.status} ${excerpt(response.text)}`.trim();
    if (AUTH_ERRORS.has(error) || response.status === 401 || response.status === 403) {
      throw new AppError('REPLY_AUTH_FAILED', `Slack refused SLACK_BOT_TOKEN for ${method}: ${error}`);
    }
    throw new AppError('REPLY_API_ERROR', `Slack ${method} failed: ${error}`);
  }
}
