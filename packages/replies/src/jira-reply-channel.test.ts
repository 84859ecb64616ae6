import { type JiraStandIn, startJiraStandIn } from '@agent-bot/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { JiraReplyChannel, toAdf } from './jira-reply-channel.js';
import { taskFrom } from './test-support/task.js';
import { failure } from './test-support/failure.js';

const EMAIL = 'bot@example.com';
const API_TOKEN = 'ATATT-jira-secret-token';
let jira: JiraStandIn;

beforeAll(async () => {
  jira = await startJiraStandIn({ email: EMAIL, apiToken: API_TOKEN, issues: ['PROJ-42'] });
});
afterAll(() => jira.close());
afterEach(() => expect(jira.problems()).toEqual([]));

/** The context the gateway's Jira adapter stores for a mention in a comment. */
const fromIssue = (issueKey = 'PROJ-42') =>
  taskFrom('jira', {
    provider: 'jira',
    issueKey,
    issueId: '10042',
    issueUrl: 'https://evil.example/rest/api/2/issue/10042',
    commentId: '900',
    trigger: 'mention',
  });

const channel = (apiToken = API_TOKEN) => new JiraReplyChannel({ baseUrl: `${jira.url}/`, email: EMAIL, apiToken });

describe('JiraReplyChannel', () => {
  it('comments on the issue in Atlassian Document Format with basic auth, on JIRA_BASE_URL only', async () => {
    const result = await channel().reply(fromIssue(), 'Root cause: a typo.\nFixed in greet.ts.\n\nPull request: https://x/pr/1');
    expect(jira.comments.at(-1)).toMatchObject({
      issueKey: 'PROJ-42',
      text: 'Root cause: a typo.\nFixed in greet.ts.\n\nPull request: https://x/pr/1',
    });
    const id = jira.comments.at(-1)?.id;
    expect(result?.url).toBe(`${jira.url}/browse/PROJ-42?focusedCommentId=${id}`);
    expect(jira.requests.at(-1)?.headers.authorization).toBe(`Basic ${Buffer.from(`${EMAIL}:${API_TOKEN}`).toString('base64')}`);
  });

  it('writes blank lines as paragraphs and never an empty text node', () => {
    expect(toAdf('a\n\n\nb\n\nc')).toEqual({
      type: 'doc',
      version: 1,
      content: [
        { type: 'paragraph', content: [{ type: 'text', text: 'a' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'b' }] },
        { type: 'paragraph', content: [{ type: 'text', text: 'c' }] },
      ],
    });
  });

  it('reports refused credentials by variable name, without the token', async () => {
    const error = await failure(channel('wrong-token').reply(fromIssue(), 'x'));
    expect(error.code).toBe('REPLY_AUTH_FAILED');
    expect(error.message).toBe('Jira refused JIRA_EMAIL/JIRA_API_TOKEN (HTTP 401) commenting on PROJ-42');
  });

  it("turns Jira's error body into a clear error", async () => {
    const error = await failure(channel().reply(fromIssue('PROJ-404'), 'x'));
    expect(error.code).toBe('REPLY_API_ERROR');
    expect(error.message).toBe(
      'Jira comment on PROJ-404 failed (HTTP 404: Issue does not exist or you do not have permission to see it.)',
    );
  });

  it('refuses a malformed issue key before any request', async () => {
    const before = jira.requests.length;
    const error = await failure(channel().reply(fromIssue('../../admin'), 'x'));
    expect(error.message).toContain('malformed');
    expect(jira.requests.length).toBe(before);
  });

  it('waits out a 429 and comments once', async () => {
    const count = jira.comments.length;
    jira.respondNext({ status: 429, body: { errorMessages: ['Rate limit exceeded.'] }, headers: { 'retry-after': '0' } });
    await channel().reply(fromIssue(), 'after the limit');
    expect(jira.comments.length).toBe(count + 1);
    expect(jira.comments.at(-1)?.text).toBe('after the limit');
  });

  it('has nowhere to reply without an issue', async () => {
    expect(await channel().reply(taskFrom('jira', { provider: 'jira' }), 'x')).toBeNull();
  });
});
