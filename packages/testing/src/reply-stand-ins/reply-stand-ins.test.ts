import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type JiraStandIn, startJiraStandIn } from './jira-stand-in.js';
import { type SentryStandIn, startSentryStandIn } from './sentry-stand-in.js';
import { type SlackStandIn, startSlackStandIn } from './slack-stand-in.js';

let slack: SlackStandIn;
let jira: JiraStandIn;
let sentry: SentryStandIn;

beforeAll(async () => {
  slack = await startSlackStandIn({ token: 'xoxb-t', channels: ['C1'] });
  jira = await startJiraStandIn({ email: 'e@x.test', apiToken: 'j', issues: ['P-1'] });
  sentry = await startSentryStandIn({ token: 's', issues: ['1'] });
});
afterAll(async () => {
  await Promise.all([slack.close(), jira.close(), sentry.close()]);
});

async function post(url: string, body: unknown, headers: Record<string, string> = {}) {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: await response.text() };
}

/** The stand-ins are only worth their green ticks if they catch requests the real APIs refuse. */
describe('reply API stand-ins check requests against the documented shape', () => {
  it('Slack: missing token, missing channel, bad thread_ts, a token sent to a response_url', async () => {
    const before = slack.problems().length;
    expect(JSON.parse((await post(`${slack.url}/api/chat.postMessage`, { channel: 'C1', text: 'x' })).body)).toEqual({
      ok: false,
      error: 'not_authed',
    });
    await post(`${slack.url}/api/chat.postMessage`, { text: 'x', thread_ts: 'yesterday' }, { authorization: 'Bearer xoxb-t' });
    await post(slack.responseUrl(), { text: 'x' }, { authorization: 'Bearer xoxb-t' });
    await post(`${slack.url}/api/chat.post_message`, { channel: 'C1', text: 'x' });
    expect(slack.problems().slice(before)).toEqual([
      'POST /api/chat.postMessage: Authorization: Bearer <token> is required',
      'POST /api/chat.postMessage: "channel" is required (a non-empty string)',
      'POST /api/chat.postMessage: "thread_ts" must be a message timestamp such as "1700000000.000100"',
      'POST /commands/T0001/B0001/secretpart: a response_url takes no Authorization header',
      'POST /api/chat.post_message: no documented Slack endpoint POST /api/chat.post_message',
    ]);
    expect(slack.messages).toEqual([]);
  });

  it('Jira: a plain-text body instead of ADF, and a token without basic auth', async () => {
    const result = await post(`${jira.url}/rest/api/3/issue/P-1/comment`, { body: 'plain text' }, { authorization: 'Bearer j' });
    expect(result.status).toBe(401);
    expect(jira.problems()).toEqual([
      'POST /rest/api/3/issue/P-1/comment: "body" must be an ADF document: {type:"doc", version:1, content:[...]}',
      'POST /rest/api/3/issue/P-1/comment: Authorization: Basic base64(email:api_token) is required',
    ]);
  });

  it('Sentry: the path without its trailing slash, a body that is not JSON', async () => {
    await post(`${sentry.url}/api/0/issues/1/comments`, { text: 'x' }, { authorization: 'Bearer s' });
    const notJson = await post(`${sentry.url}/api/0/issues/1/comments/`, 'text=x', { authorization: 'Bearer s' });
    expect(notJson).toEqual({ status: 400, body: JSON.stringify({ text: ['This field is required.'] }) });
    expect(sentry.problems()).toEqual([
      'POST /api/0/issues/1/comments: no documented Sentry endpoint POST /api/0/issues/1/comments',
      'POST /api/0/issues/1/comments/: body is not JSON',
      'POST /api/0/issues/1/comments/: body must be a JSON object',
      'POST /api/0/issues/1/comments/: "text" is required (a non-empty string)',
    ]);
  });
});
