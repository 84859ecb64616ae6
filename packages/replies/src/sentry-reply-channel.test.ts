import { type SentryStandIn, startSentryStandIn } from '@agent-bot/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SentryReplyChannel } from './sentry-reply-channel.js';
import { taskFrom } from './test-support/task.js';
import { failure } from './test-support/failure.js';

const TOKEN = 'sntrys_secret_token';
let sentry: SentryStandIn;

beforeAll(async () => {
  sentry = await startSentryStandIn({ token: TOKEN, issues: ['4501'] });
});
afterAll(() => sentry.close());
afterEach(() => expect(sentry.problems()).toEqual([]));

/** The context the gateway's Sentry adapter stores for issue.created. */
const fromIssue = (sentryIssueId: string | undefined = '4501') =>
  taskFrom('sentry', {
    provider: 'sentry',
    sentryIssueId,
    shortId: 'WIDGETS-7',
    project: 'widgets',
    webUrl: 'https://sentry.io/organizations/acme/issues/4501/',
    level: 'error',
    resource: 'issue',
  });

const channel = (authToken = TOKEN) => new SentryReplyChannel({ apiUrl: sentry.url, authToken });

describe('SentryReplyChannel', () => {
  it('comments on the issue with a Bearer token and links the issue', async () => {
    const result = await channel().reply(fromIssue(), 'The null check in checkout.ts is missing.');
    expect(sentry.comments.at(-1)).toMatchObject({ issueId: '4501', text: 'The null check in checkout.ts is missing.' });
    expect(sentry.requests.at(-1)?.headers.authorization).toBe(`Bearer ${TOKEN}`);
    expect(result).toEqual({ url: 'https://sentry.io/organizations/acme/issues/4501/' });
  });

  it('reports a refused token by variable name, without the token', async () => {
    const error = await failure(channel('sntrys_wrong').reply(fromIssue(), 'x'));
    expect(error.code).toBe('REPLY_AUTH_FAILED');
    expect(error.message).toBe('Sentry refused SENTRY_AUTH_TOKEN (HTTP 401) commenting on issue 4501');
  });

  it("turns Sentry's error detail into a clear error", async () => {
    const error = await failure(channel().reply(fromIssue('999'), 'x'));
    expect(error.code).toBe('REPLY_API_ERROR');
    expect(error.message).toBe('Sentry comment on issue 999 failed (HTTP 404: The requested resource does not exist)');
  });

  it('gives up on a second 429 in a row', async () => {
    const count = sentry.comments.length;
    for (let i = 0; i < 2; i++)
      sentry.respondNext({ status: 429, body: { detail: 'slow down' }, headers: { 'retry-after': '0' } });
    const error = await failure(channel().reply(fromIssue(), 'x'));
    expect(error.code).toBe('REPLY_RATE_LIMITED');
    expect(error.message).toBe('Sentry is rate limiting replies (HTTP 429, Retry-After 0 s, after one wait)');
    expect(sentry.comments.length).toBe(count);
  });

  it('has nowhere to reply for a metric alert (no issue)', async () => {
    const before = sentry.requests.length;
    const metricAlert = taskFrom('sentry', { provider: 'sentry', resource: 'metric_alert', metricAlertId: 7 });
    expect(await channel().reply(metricAlert, 'x')).toBeNull();
    expect(sentry.requests.length).toBe(before);
  });
});
