import { AppError, type ReplyChannel, type Task } from '@agent-bot/contracts';
import { type HttpOptions, contextString, excerpt, sendJson } from './http-json.js';

export interface JiraReplyOptions extends HttpOptions {
  /** The site, e.g. https://example.atlassian.net (JIRA_BASE_URL). */
  baseUrl: string;
  /** The Atlassian account the API token belongs to (JIRA_EMAIL). */
  email: string;
  /** JIRA_API_TOKEN. */
  apiToken: string;
}

type AdfInline = { type: 'text'; text: string } | { type: 'hardBreak' };
export interface AdfDocument {
  type: 'doc';
  version: 1;
  content: { type: 'paragraph'; content: AdfInline[] }[];
}

/** Plain text as Atlassian Document Format: blank lines separate paragraphs, newlines are hard breaks. */
export function toAdf(text: string): AdfDocument {
  const paragraphs = text
    .replace(/\r\n?/g, '\n')
    .split(/\n{2,}/)
    .map((block) => block.split('\n'))
    .filter((lines) => lines.some((line) => line.length > 0));
  const content = paragraphs.map((lines) => ({
    type: 'paragraph' as const,
    content: lines.flatMap((line, i): AdfInline[] => [
      ...(i > 0 ? [{ type: 'hardBreak' as const }] : []),
      // ADF rejects empty text nodes.
      ...(line.length > 0 ? [{ type: 'text' as const, text: line }] : []),
    ]),
  }));
  return { type: 'doc', version: 1, content: content.length > 0 ? content : [{ type: 'paragraph', content: [] }] };
}

/** Jira issue keys are PROJECT-123; ids are numeric. Anything else never reaches a URL. */
const ISSUE_REF = /^(?:[A-Z][A-Z0-9_]*-\d+|\d+)$/;

/**
 * Answers a Jira task with a comment on its issue (REST API v3, basic auth with an API token). The
 * site is JIRA_BASE_URL, never a URL from the webhook, so the credentials go nowhere else.
 */
export class JiraReplyChannel implements ReplyChannel {
  private readonly baseUrl: string;

  constructor(private readonly options: JiraReplyOptions) {
    this.baseUrl = options.baseUrl.replace(/\/+$/, '');
  }

  async reply(task: Task, text: string): Promise<{ url?: string } | null> {
    const issue = contextString(task.context, 'issueKey') ?? contextString(task.context, 'issueId');
    if (!issue) return null;
    if (!ISSUE_REF.test(issue))
      throw new AppError('REPLY_API_ERROR', `Jira issue reference "${issue.slice(0, 40)}" is malformed`);
    const authorization = `Basic ${Buffer.from(`${this.options.email}:${this.options.apiToken}`).toString('base64')}`;
    const response = await sendJson(
      'Jira',
      {
        url: `${this.baseUrl}/rest/api/3/issue/${encodeURIComponent(issue)}/comment`,
        headers: { authorization },
        body: { body: toAdf(text) },
      },
      this.options,
    );
    if (response.status === 401 || response.status === 403) {
      throw new AppError(
        'REPLY_AUTH_FAILED',
        `Jira refused JIRA_EMAIL/JIRA_API_TOKEN (HTTP ${response.status}) commenting on ${issue}`,
      );
    }
    if (response.status !== 201 && response.status !== 200) {
      throw new AppError('REPLY_API_ERROR', `Jira comment on ${issue} failed (HTTP ${response.status}: ${jiraError(response)})`);
    }
    const id = (response.json as { id?: unknown } | undefined)?.id;
    const key = contextString(task.context, 'issueKey');
    return {
      url: key
        ? `${this.baseUrl}/browse/${encodeURIComponent(key)}${id === undefined ? '' : `?focusedCommentId=${encodeURIComponent(String(id))}`}`
        : undefined,
    };
  }
}

function jiraError(response: { text: string; json: unknown }): string {
  const body = response.json as { errorMessages?: unknown; errors?: unknown } | undefined;
  const messages = [
    ...(Array.isArray(body?.errorMessages) ? body.errorMessages.map(String) : []),
    ...(body?.errors && typeof body.errors === 'object' ? Object.entries(body.errors).map(([k, v]) => `${k}: ${String(v)}`) : []),
  ];
  return excerpt(messages.length > 0 ? messages.join('; ') : response.text) || 'no details';
}
