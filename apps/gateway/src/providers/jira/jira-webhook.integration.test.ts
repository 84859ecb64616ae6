import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hmacHex } from '../../test-support/sign.js';
import { TEST_SECRETS, type TestGateway, createTestGateway } from '../../test-support/test-gateway.js';

let gw: TestGateway;
beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

const issue = {
  id: '10002',
  key: 'SHOP-17',
  self: 'https://acme.atlassian.net/rest/api/2/issue/10002',
  fields: { summary: 'Checkout total is wrong', description: 'Totals skip the tax', priority: { name: 'High' } },
};

function comment(
  body: string,
  author: Record<string, unknown> = { accountId: 'u-1', displayName: 'Mia', accountType: 'atlassian' },
) {
  return { webhookEvent: 'comment_created', issue, comment: { id: '30001', body, author } };
}

function headers(body: string, id: string = randomUUID()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'x-atlassian-webhook-identifier': id,
    'x-hub-signature': `sha256=${hmacHex(TEST_SECRETS.jira, body)}`,
  };
}

async function post(payload: unknown, h?: Record<string, string>) {
  const body = JSON.stringify(payload);
  return gw.app.inject({ method: 'POST', url: '/webhooks/jira', payload: body, headers: h ?? headers(body) });
}

async function rows() {
  const [row] = await gw.db.sql<[{ deliveries: number; tasks: number }]>`
    select (select count(*)::int from deliveries) as deliveries, (select count(*)::int from tasks) as tasks`;
  return row;
}

describe('POST /webhooks/jira', () => {
  it('a comment mentioning the bot becomes a task on the issue; a redelivery is a duplicate', async () => {
    const payload = comment('@agent-bot fix the tax rounding');
    const body = JSON.stringify(payload);
    const h = headers(body);
    const response = await post(payload, h);
    expect(response.json()).toMatchObject({ status: 'enqueued' });
    const [task] = await gw.db.sql`select kind, priority, source, context from tasks where id = ${response.json().task_id}`;
    expect(task).toMatchObject({ kind: 'fix', priority: 1, source: 'jira' });
    expect(task?.context).toMatchObject({ issueKey: 'SHOP-17', commentId: '30001' });
    expect((await post(payload, h)).json()).toMatchObject({ duplicate: true });
  });

  it('an issue assigned to the bot becomes a fix task (Jira sends a charset parameter)', async () => {
    const payload = {
      webhookEvent: 'jira:issue_updated',
      issue_event_type_name: 'issue_assigned',
      user: { accountId: 'u-1', displayName: 'Mia' },
      issue,
      changelog: { items: [{ field: 'assignee', to: 'bot-account', toString: 'agent-bot' }] },
    };
    const body = JSON.stringify(payload);
    const response = await post(payload, { ...headers(body), 'content-type': 'application/json; charset=UTF-8' });
    expect(response.json()).toMatchObject({ status: 'enqueued' });
  });

  it("ignores the bot's own comment, an app's comment, a mention in a code block, and unrelated events", async () => {
    const own = await post(comment('Done @agent-bot', { accountId: 'b', displayName: 'agent-bot', accountType: 'app' }));
    expect(own.json()).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/own comment/) });
    const app = await post(comment('@agent-bot fix', { accountId: 'x', displayName: 'Automation', accountType: 'app' }));
    expect(app.json()).toMatchObject({ status: 'ignored', reason: 'bot author: Automation' });
    const code = await post(comment('Type `@agent-bot fix` to ask it'));
    expect(code.json()).toMatchObject({ status: 'ignored', reason: expect.stringMatching(/no trigger/) });
    const other = await post({ webhookEvent: 'jira:issue_deleted', issue });
    expect(other.json()).toMatchObject({ status: 'ignored', reason: 'event not handled: jira:issue_deleted' });
  });

  describe('bad input stores nothing', () => {
    const body = JSON.stringify(comment('@agent-bot fix'));
    const good = `sha256=${hmacHex(TEST_SECRETS.jira, body)}`;
    const cases: Array<[string, Record<string, string | undefined>, string, number, string]> = [
      ['missing signature', { 'x-hub-signature': undefined }, body, 401, 'SIGNATURE_MISSING'],
      ['malformed signature', { 'x-hub-signature': 'sha256' }, body, 401, 'SIGNATURE_MALFORMED'],
      ['truncated signature', { 'x-hub-signature': good.slice(0, -1) }, body, 401, 'SIGNATURE_MALFORMED'],
      ['wrong signature', { 'x-hub-signature': `sha256=${hmacHex('wrong', body)}` }, body, 401, 'SIGNATURE_INVALID'],
      [
        'wrong algorithm prefix',
        { 'x-hub-signature': good.replace('sha256=', 'sha1=') },
        body,
        401,
        'SIGNATURE_ALGORITHM_UNSUPPORTED',
      ],
      ['empty body', { 'x-hub-signature': `sha256=${hmacHex(TEST_SECRETS.jira, '')}` }, '', 400, 'EMPTY_BODY'],
      [
        'truncated JSON',
        { 'x-hub-signature': `sha256=${hmacHex(TEST_SECRETS.jira, body.slice(0, 20))}` },
        body.slice(0, 20),
        400,
        'MALFORMED_BODY',
      ],
      ['missing webhook identifier', { 'x-atlassian-webhook-identifier': undefined }, body, 400, 'DELIVERY_ID_MISSING'],
    ];
    for (const [name, overrides, payload, status, code] of cases) {
      it(`${name} -> ${status} ${code}`, async () => {
        const before = await rows();
        const h: Record<string, string> = headers(body);
        for (const [key, value] of Object.entries(overrides)) {
          if (value === undefined) delete h[key];
          else h[key] = value;
        }
        const response = await gw.app.inject({ method: 'POST', url: '/webhooks/jira', payload, headers: h });
        expect(response.statusCode).toBe(status);
        expect(response.json().error.code).toBe(code);
        expect(await rows()).toEqual(before);
      });
    }

    it('wrong content type -> 415 and oversized -> 413', async () => {
      const before = await rows();
      const wrong = await gw.app.inject({
        method: 'POST',
        url: '/webhooks/jira',
        payload: body,
        headers: { ...headers(body), 'content-type': 'text/plain' },
      });
      expect(wrong.statusCode).toBe(415);
      const huge = JSON.stringify(comment('x'.repeat(1024 * 1024)));
      const large = await gw.app.inject({ method: 'POST', url: '/webhooks/jira', payload: huge, headers: headers(huge) });
      expect(large.statusCode).toBe(413);
      expect(await rows()).toEqual(before);
    });
  });
});
