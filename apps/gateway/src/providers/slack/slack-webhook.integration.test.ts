import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { slackHeaders } from '../../test-support/sign.js';
import { TEST_SECRETS, type TestGateway, createTestGateway } from '../../test-support/test-gateway.js';

const NOW_SECONDS = 1_800_000_000;
let gw: TestGateway;

beforeAll(async () => {
  gw = await createTestGateway({ now: () => NOW_SECONDS * 1000 });
});
afterAll(async () => {
  await gw.close();
});

function mention(eventId: string, text: string, extra: Record<string, unknown> = {}) {
  return {
    type: 'event_callback',
    team_id: 'T1',
    event_id: eventId,
    event: { type: 'app_mention', user: 'U42', text, channel: 'C9', ts: '1700000000.000100', ...extra },
  };
}

async function post(body: string, headers: Record<string, string> = {}, contentType = 'application/json') {
  return gw.app.inject({
    method: 'POST',
    url: '/webhooks/slack',
    payload: body,
    headers: { 'content-type': contentType, ...slackHeaders(TEST_SECRETS.slack, body, NOW_SECONDS), ...headers },
  });
}

async function rows() {
  const [row] = await gw.db.sql<[{ deliveries: number; tasks: number }]>`
    select (select count(*)::int from deliveries) as deliveries, (select count(*)::int from tasks) as tasks`;
  return row;
}

describe('POST /webhooks/slack', () => {
  it('answers url_verification with the challenge and stores nothing', async () => {
    const response = await post(JSON.stringify({ type: 'url_verification', challenge: 'abc123', token: 'x' }));
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ challenge: 'abc123' });
    expect(await rows()).toEqual({ deliveries: 0, tasks: 0 });
  });

  it('turns an app_mention into a task that can reply in the thread; a retry is a duplicate', async () => {
    const body = JSON.stringify(mention('Ev001', '<@UBOT> investigate the 500s on checkout', { thread_ts: '1699999999.000001' }));
    const response = await post(body);
    expect(response.json()).toMatchObject({ status: 'enqueued' });
    const [task] = await gw.db.sql`select kind, prompt, context, source from tasks where id = ${response.json().task_id}`;
    expect(task).toMatchObject({ kind: 'investigate', source: 'slack', prompt: 'investigate the 500s on checkout' });
    expect(task?.context).toMatchObject({ channel: 'C9', threadTs: '1699999999.000001', teamId: 'T1', user: 'U42' });

    const retry = await post(body, { 'x-slack-retry-num': '1', 'x-slack-retry-reason': 'http_timeout' });
    expect(retry.json()).toMatchObject({ duplicate: true });
  });

  it('creates a task from a slash command (form body) and answers the user', async () => {
    const form = new URLSearchParams({
      command: '/agent',
      text: 'fix the login redirect',
      user_id: 'U42',
      user_name: 'mia',
      channel_id: 'C9',
      team_id: 'T1',
      response_url: 'https://hooks.slack.com/commands/T1/1/abc',
      trigger_id: 'trig-1',
    }).toString();
    const response = await post(form, {}, 'application/x-www-form-urlencoded');
    expect(response.statusCode).toBe(200);
    expect(response.json()).toMatchObject({ response_type: 'ephemeral' });
    const [delivery] = await gw.db.sql`select status, task_id from deliveries where delivery_id = 'trig-1'`;
    expect(delivery?.status).toBe('enqueued');
    const [task] = await gw.db.sql`select kind, context from tasks where id = ${delivery?.task_id}`;
    expect(task?.kind).toBe('fix');
    expect(task?.context).toMatchObject({
      responseUrl: 'https://hooks.slack.com/commands/T1/1/abc',
      channel: 'C9',
      command: '/agent',
    });
  });

  it("ignores a bot's message and other events with a reason", async () => {
    const bot = await post(JSON.stringify(mention('Ev-bot', '<@UBOT> hi', { bot_id: 'B1' })));
    expect(bot.json()).toMatchObject({ status: 'ignored', reason: 'bot author: B1' });
    const other = await post(
      JSON.stringify({ type: 'event_callback', event_id: 'Ev-msg', event: { type: 'message', text: 'hi' } }),
    );
    expect(other.json()).toMatchObject({ status: 'ignored', reason: 'event not handled: message' });
  });

  describe('bad input stores nothing', () => {
    const body = JSON.stringify(mention('Ev-bad', '<@UBOT> fix'));
    const good = slackHeaders(TEST_SECRETS.slack, body, NOW_SECONDS);
    const cases: Array<[string, Record<string, string | undefined>, string, number, string]> = [
      ['missing signature', { 'x-slack-signature': undefined }, body, 401, 'SIGNATURE_MISSING'],
      ['missing timestamp', { 'x-slack-request-timestamp': undefined }, body, 401, 'TIMESTAMP_MISSING'],
      ['malformed signature', { 'x-slack-signature': 'v0=nothex' }, body, 401, 'SIGNATURE_INVALID'],
      [
        'truncated signature',
        { 'x-slack-signature': (good['x-slack-signature'] as string).slice(0, -4) },
        body,
        401,
        'SIGNATURE_INVALID',
      ],
      ['wrong secret', slackHeaders('wrong', body, NOW_SECONDS), body, 401, 'SIGNATURE_INVALID'],
      [
        'wrong algorithm prefix',
        { 'x-slack-signature': (good['x-slack-signature'] as string).replace('v0=', 'v1=') },
        body,
        401,
        'SIGNATURE_ALGORITHM_UNSUPPORTED',
      ],
      [
        'stale timestamp (6 minutes old)',
        slackHeaders(TEST_SECRETS.slack, body, NOW_SECONDS - 360),
        body,
        401,
        'TIMESTAMP_OUT_OF_RANGE',
      ],
      [
        'future timestamp (6 minutes ahead)',
        slackHeaders(TEST_SECRETS.slack, body, NOW_SECONDS + 360),
        body,
        401,
        'TIMESTAMP_OUT_OF_RANGE',
      ],
      ['signed with another timestamp', { 'x-slack-request-timestamp': String(NOW_SECONDS - 1) }, body, 401, 'SIGNATURE_INVALID'],
      ['empty body', slackHeaders(TEST_SECRETS.slack, '', NOW_SECONDS), '', 400, 'EMPTY_BODY'],
      [
        'truncated JSON',
        slackHeaders(TEST_SECRETS.slack, body.slice(0, 30), NOW_SECONDS),
        body.slice(0, 30),
        400,
        'MALFORMED_BODY',
      ],
    ];
    for (const [name, overrides, payload, status, code] of cases) {
      it(`${name} -> ${status} ${code}`, async () => {
        const before = await rows();
        const headers: Record<string, string> = { 'content-type': 'application/json', ...good };
        for (const [key, value] of Object.entries(overrides)) {
          if (value === undefined) delete headers[key];
          else headers[key] = value;
        }
        const response = await gw.app.inject({ method: 'POST', url: '/webhooks/slack', payload, headers });
        expect(response.statusCode).toBe(status);
        expect(response.json().error.code).toBe(code);
        expect(await rows()).toEqual(before);
      });
    }

    it('wrong content type -> 415 and oversized -> 413', async () => {
      const before = await rows();
      const wrong = await gw.app.inject({
        method: 'POST',
        url: '/webhooks/slack',
        payload: body,
        headers: { ...good, 'content-type': 'text/xml' },
      });
      expect(wrong.statusCode).toBe(415);
      const huge = JSON.stringify(mention('Ev-huge', 'x'.repeat(1024 * 1024 + 10)));
      const large = await gw.app.inject({
        method: 'POST',
        url: '/webhooks/slack',
        payload: huge,
        headers: { 'content-type': 'application/json', ...slackHeaders(TEST_SECRETS.slack, huge, NOW_SECONDS) },
      });
      expect(large.statusCode).toBe(413);
      expect(await rows()).toEqual(before);
    });
  });
});
