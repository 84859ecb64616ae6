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

const issueCreated = {
  action: 'created',
  installation: { uuid: 'inst-1' },
  data: {
    issue: {
      id: '1170820242',
      shortId: 'CHECKOUT-4',
      title: "TypeError: Cannot read properties of undefined (reading 'total')",
      culprit: 'src/cart.ts in computeTotal',
      level: 'error',
      web_url: 'https://sentry.io/organizations/acme/issues/1170820242/',
      project: { slug: 'checkout' },
    },
  },
};

function headers(body: string, resource = 'issue', requestId: string = randomUUID()): Record<string, string> {
  return {
    'content-type': 'application/json',
    'sentry-hook-resource': resource,
    'sentry-hook-timestamp': '1700000000',
    'request-id': requestId,
    'sentry-hook-signature': hmacHex(TEST_SECRETS.sentry, body),
  };
}

async function rows() {
  const [row] = await gw.db.sql<[{ deliveries: number; tasks: number }]>`
    select (select count(*)::int from deliveries) as deliveries, (select count(*)::int from tasks) as tasks`;
  return row;
}

describe('POST /webhooks/sentry', () => {
  it('turns a new issue into an investigate task; the same Request-ID again is a duplicate', async () => {
    const body = JSON.stringify(issueCreated);
    const h = headers(body);
    const response = await gw.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: body, headers: h });
    expect(response.json()).toMatchObject({ status: 'enqueued' });
    const [task] = await gw.db.sql`select kind, source, prompt, context from tasks where id = ${response.json().task_id}`;
    expect(task).toMatchObject({ kind: 'investigate', source: 'sentry' });
    expect(task?.prompt).toContain('CHECKOUT-4');
    expect(task?.context).toMatchObject({ sentryIssueId: '1170820242', project: 'checkout' });
    const again = await gw.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: body, headers: h });
    expect(again.json()).toMatchObject({ duplicate: true });
  });

  it('turns a triggered alert into a P1 task and ignores resolved issues with a reason', async () => {
    const alert = JSON.stringify({
      action: 'triggered',
      data: { event: { issue_id: '77', title: 'Crash', level: 'fatal' }, triggered_rule: 'Crashes' },
    });
    const alertResponse = await gw.app.inject({
      method: 'POST',
      url: '/webhooks/sentry',
      payload: alert,
      headers: headers(alert, 'event_alert'),
    });
    expect(alertResponse.json()).toMatchObject({ status: 'enqueued' });
    const [task] = await gw.db.sql`select priority, context from tasks where id = ${alertResponse.json().task_id}`;
    expect(task?.priority).toBe(1);
    expect(task?.context).toMatchObject({ sentryIssueId: '77', rule: 'Crashes' });

    const resolved = JSON.stringify({ ...issueCreated, action: 'resolved' });
    const response = await gw.app.inject({
      method: 'POST',
      url: '/webhooks/sentry',
      payload: resolved,
      headers: headers(resolved),
    });
    expect(response.json()).toMatchObject({ status: 'ignored', reason: 'event not handled: issue.resolved' });
  });

  describe('bad input stores nothing', () => {
    const body = JSON.stringify(issueCreated);
    const good = hmacHex(TEST_SECRETS.sentry, body);
    const cases: Array<[string, Record<string, string | undefined>, string, number, string]> = [
      ['missing signature', { 'sentry-hook-signature': undefined }, body, 401, 'SIGNATURE_MISSING'],
      ['malformed signature', { 'sentry-hook-signature': 'xyz' }, body, 401, 'SIGNATURE_MALFORMED'],
      ['truncated signature', { 'sentry-hook-signature': good.slice(0, 60) }, body, 401, 'SIGNATURE_MALFORMED'],
      ['wrong signature', { 'sentry-hook-signature': hmacHex('wrong', body) }, body, 401, 'SIGNATURE_INVALID'],
      ['wrong algorithm prefix', { 'sentry-hook-signature': `sha1=${good}` }, body, 401, 'SIGNATURE_ALGORITHM_UNSUPPORTED'],
      ['empty body', { 'sentry-hook-signature': hmacHex(TEST_SECRETS.sentry, '') }, '', 400, 'EMPTY_BODY'],
      [
        'truncated JSON',
        { 'sentry-hook-signature': hmacHex(TEST_SECRETS.sentry, body.slice(0, 50)) },
        body.slice(0, 50),
        400,
        'MALFORMED_BODY',
      ],
      ['missing Request-ID', { 'request-id': undefined }, body, 400, 'DELIVERY_ID_MISSING'],
      ['missing Sentry-Hook-Resource', { 'sentry-hook-resource': undefined }, body, 400, 'EVENT_MISSING'],
    ];
    for (const [name, overrides, payload, status, code] of cases) {
      it(`${name} -> ${status} ${code}`, async () => {
        const before = await rows();
        const h: Record<string, string> = headers(body);
        for (const [key, value] of Object.entries(overrides)) {
          if (value === undefined) delete h[key];
          else h[key] = value;
        }
        const response = await gw.app.inject({ method: 'POST', url: '/webhooks/sentry', payload, headers: h });
        expect(response.statusCode).toBe(status);
        expect(response.json().error.code).toBe(code);
        expect(await rows()).toEqual(before);
      });
    }

    it('wrong content type -> 415 and oversized -> 413', async () => {
      const before = await rows();
      const wrong = await gw.app.inject({
        method: 'POST',
        url: '/webhooks/sentry',
        payload: body,
        headers: { ...headers(body), 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(wrong.statusCode).toBe(415);
      const huge = JSON.stringify({ ...issueCreated, pad: 'x'.repeat(1024 * 1024) });
      const large = await gw.app.inject({ method: 'POST', url: '/webhooks/sentry', payload: huge, headers: headers(huge) });
      expect(large.statusCode).toBe(413);
      expect(await rows()).toEqual(before);
    });
  });
});
