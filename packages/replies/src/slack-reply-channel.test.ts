import { type SlackStandIn, freePort, startSlackStandIn } from '@agent-bot/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { SlackReplyChannel } from './slack-reply-channel.js';
import { taskFrom } from './test-support/task.js';
import { failure } from './test-support/failure.js';

const TOKEN = 'xoxb-test-0000-secret';
let slack: SlackStandIn;

beforeAll(async () => {
  slack = await startSlackStandIn({ token: TOKEN, channels: ['C0123'] });
});
afterAll(() => slack.close());
afterEach(() => {
  // Every request any test made must match Slack's documented shape.
  expect(slack.problems()).toEqual([]);
});

/** The context the gateway's Slack adapter stores for an app_mention. */
const mention = (channel = 'C0123') =>
  taskFrom('slack', {
    provider: 'slack',
    event: 'app_mention',
    teamId: 'T0001',
    channel,
    threadTs: '1700000000.000100',
    messageTs: '1700000001.000200',
    user: 'U0001',
  });

function channelWith(token: string | null = TOKEN, extra: Partial<{ maxRetryAfterSeconds: number }> = {}) {
  return new SlackReplyChannel({ apiUrl: `${slack.url}/api/`, botToken: token ?? undefined, ...extra });
}

describe('SlackReplyChannel', () => {
  it('replies in the thread of the mention with chat.postMessage and returns its permalink', async () => {
    const result = await channelWith().reply(mention(), 'The build is red because of a typo.');
    const posted = slack.messages.at(-1);
    expect(posted).toMatchObject({
      channel: 'C0123',
      threadTs: '1700000000.000100',
      text: 'The build is red because of a typo.',
    });
    expect(result?.url).toBe(
      `https://example.slack.com/archives/C0123/p${posted?.ts.replace('.', '')}?thread_ts=1700000000.000100&cid=C0123`,
    );
    const request = slack.requests.find((r) => r.path === '/api/chat.postMessage');
    expect(request?.headers.authorization).toBe(`Bearer ${TOKEN}`);
  });

  it('answers a slash command through its response_url, without the bot token', async () => {
    const before = slack.requests.length;
    const task = taskFrom('slack', {
      provider: 'slack',
      event: 'slash_command',
      command: '/agent',
      channel: 'C0123',
      user: 'U0001',
      responseUrl: slack.responseUrl('B42'),
    });
    expect(await channelWith().reply(task, 'Here you go.')).toEqual({});
    expect(slack.responses.at(-1)).toEqual({
      path: '/commands/T0001/B42/secretpart',
      text: 'Here you go.',
      responseType: 'in_channel',
    });
    const sent = slack.requests.slice(before);
    expect(sent.map((r) => r.path)).toEqual(['/commands/T0001/B42/secretpart']);
    expect(sent[0]?.headers.authorization).toBeUndefined();
  });

  it('falls back to the channel when the response_url has expired', async () => {
    slack.respondNext({ status: 404, body: 'expired_url' });
    const task = taskFrom('slack', { event: 'slash_command', channel: 'C0123', responseUrl: slack.responseUrl('B43') });
    await channelWith().reply(task, 'Late answer.');
    expect(slack.messages.at(-1)).toMatchObject({ channel: 'C0123', text: 'Late answer.', threadTs: undefined });
  });

  it('reports an expired response_url when there is no bot token to fall back on', async () => {
    slack.respondNext({ status: 404, body: 'expired_url' });
    const task = taskFrom('slack', { event: 'slash_command', channel: 'C0123', responseUrl: slack.responseUrl('B44') });
    const error = await failure(channelWith(null).reply(task, 'x'));
    expect(error.code).toBe('REPLY_API_ERROR');
    expect(error.message).toContain('HTTP 404: expired_url');
  });

  it('never posts to a response_url outside Slack', async () => {
    const elsewhere = `http://127.0.0.1:${await freePort()}/commands/T/B/x`;
    const task = taskFrom('slack', { event: 'slash_command', channel: 'C0123', responseUrl: elsewhere });
    await channelWith().reply(task, 'Safe.');
    expect(slack.messages.at(-1)).toMatchObject({ channel: 'C0123', text: 'Safe.' });
  });

  it("turns Slack's HTTP 200 {ok:false} into a clear error", async () => {
    const error = await failure(channelWith().reply(mention('C9999'), 'x'));
    expect(error.code).toBe('REPLY_API_ERROR');
    expect(error.message).toBe('Slack chat.postMessage failed: channel_not_found');
  });

  it('reports a refused token by name without echoing it', async () => {
    const error = await failure(channelWith('xoxb-wrong-token').reply(mention(), 'x'));
    expect(error.code).toBe('REPLY_AUTH_FAILED');
    expect(error.message).toBe('Slack refused SLACK_BOT_TOKEN for chat.postMessage: invalid_auth');
    expect(error.message).not.toContain('xoxb');
  });

  it('says what to set when a thread reply needs the missing bot token', async () => {
    const error = await failure(channelWith(null).reply(mention(), 'x'));
    expect(error.code).toBe('REPLY_NOT_CONFIGURED');
    expect(error.message).toContain('SLACK_BOT_TOKEN');
  });

  it('waits out a 429 with Retry-After once, then posts', async () => {
    slack.respondNext({ status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '1' } });
    const started = performance.now();
    await channelWith().reply(mention(), 'After the wait.');
    expect(performance.now() - started).toBeGreaterThanOrEqual(950);
    expect(slack.messages.at(-1)?.text).toBe('After the wait.');
  });

  it('fails at once on a 429 whose Retry-After is longer than it may wait', async () => {
    const count = slack.messages.length;
    slack.respondNext({ status: 429, body: { ok: false, error: 'ratelimited' }, headers: { 'retry-after': '120' } });
    const error = await failure(channelWith(TOKEN, { maxRetryAfterSeconds: 30 }).reply(mention(), 'x'));
    expect(error.code).toBe('REPLY_RATE_LIMITED');
    expect(error.message).toContain('Retry-After 120 s');
    expect(slack.messages.length).toBe(count);
  });

  it('has nowhere to reply when the context names no channel', async () => {
    expect(await channelWith().reply(taskFrom('slack', { event: 'app_mention' }), 'x')).toBeNull();
  });

  it('names the unreachable host', async () => {
    const port = await freePort();
    const error = await failure(
      new SlackReplyChannel({ apiUrl: `http://127.0.0.1:${port}/api`, botToken: TOKEN }).reply(mention(), 'x'),
    );
    expect(error.code).toBe('REPLY_UNREACHABLE');
    expect(error.message).toContain(`Slack is not reachable at http://127.0.0.1:${port}`);
  });
});
