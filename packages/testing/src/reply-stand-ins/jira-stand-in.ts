import {
  type ProviderStandIn,
  type RecordedApiRequest,
  bodyObject,
  expectJsonContentType,
  header,
  startProviderStandIn,
} from './stand-in-server.js';

export interface JiraStandIn extends ProviderStandIn {
  /** Comments added, with their ADF body flattened to text (paragraphs joined by blank lines). */
  comments: { issueKey: string; id: string; text: string; body: unknown }[];
}

/** Checks an Atlassian Document Format document as far as paragraphs, text and hard breaks go. */
function checkAdf(request: RecordedApiRequest, doc: unknown): string {
  const d = doc as { type?: unknown; version?: unknown; content?: unknown };
  if (d?.type !== 'doc' || d.version !== 1 || !Array.isArray(d.content)) {
    request.problems.push('"body" must be an ADF document: {type:"doc", version:1, content:[...]}');
    return '';
  }
  const paragraphs: string[] = [];
  for (const block of d.content as { type?: unknown; content?: unknown }[]) {
    if (block?.type !== 'paragraph' || !Array.isArray(block.content)) {
      request.problems.push(`ADF block must be a paragraph with content, got ${JSON.stringify(block).slice(0, 80)}`);
      continue;
    }
    let text = '';
    for (const inline of block.content as { type?: unknown; text?: unknown }[]) {
      if (inline?.type === 'hardBreak') text += '\n';
      else if (inline?.type === 'text' && typeof inline.text === 'string' && inline.text.length > 0) text += inline.text;
      else
        request.problems.push(
          `ADF inline must be a non-empty text node or hardBreak, got ${JSON.stringify(inline).slice(0, 80)}`,
        );
    }
    paragraphs.push(text);
  }
  return paragraphs.join('\n\n');
}

/**
 * Jira Cloud REST API v3, add comment
 * (https://developer.atlassian.com/cloud/jira/platform/rest/v3/api-group-issue-comments/#api-rest-api-3-issue-issueidorkey-comment-post):
 * `POST /rest/api/3/issue/{issueIdOrKey}/comment`, basic auth `email:api_token`, JSON
 * `{body: <ADF document>}`, 201 with the comment; 401 for bad credentials, 404 for an unknown issue.
 */
export async function startJiraStandIn(options: { email: string; apiToken: string; issues: string[] }): Promise<JiraStandIn> {
  const comments: JiraStandIn['comments'] = [];
  const expected = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`;
  const standIn = await startProviderStandIn('Jira', [
    {
      method: 'POST',
      pattern: /^\/rest\/api\/3\/issue\/([^/]+)\/comment$/,
      handle(request, [issueKey = ''], dryRun) {
        expectJsonContentType(request);
        const text = checkAdf(request, bodyObject(request).body);
        const authorization = header(request, 'authorization');
        if (!authorization?.startsWith('Basic '))
          request.problems.push('Authorization: Basic base64(email:api_token) is required');
        if (authorization !== expected) {
          return {
            status: 401,
            body: {
              errorMessages: ['You are not authenticated. Authentication required to perform this operation.'],
              errors: {},
            },
          };
        }
        if (request.problems.length > 0) {
          return { status: 400, body: { errorMessages: [], errors: { comment: 'Comment body is not valid!' } } };
        }
        if (!options.issues.includes(issueKey)) {
          return {
            status: 404,
            body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'], errors: {} },
          };
        }
        if (dryRun) return { status: 204 };
        const id = String(10000 + comments.length);
        comments.push({ issueKey, id, text, body: bodyObject(request).body });
        return {
          status: 201,
          body: {
            id,
            self: `${standIn.url}/rest/api/3/issue/${issueKey}/comment/${id}`,
            body: bodyObject(request).body,
            created: new Date().toISOString(),
          },
        };
      },
    },
  ]);
  return { ...standIn, comments };
}
