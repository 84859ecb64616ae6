import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { countRows as countRowsIn, issueComment } from '../../test-support/github-fixtures.js';
import { githubSignature } from '../../test-support/sign.js';
import { TEST_SECRETS, type TestGateway, createTestGateway, githubHeaders } from '../../test-support/test-gateway.js';

let gw: TestGateway;

beforeAll(async () => {
  gw = await createTestGateway();
});
afterAll(async () => {
  await gw.close();
});

async function countRows() {
  return countRowsIn(gw.db);
}

describe('POST /webhooks/github: bad input stores nothing', () => {
  const payload = JSON.stringify(issueComment('@agent-bot fix', { login: 'member-mia' }, 'MEMBER'));
  const good = githubSignature(TEST_SECRETS.github, payload);
  const cases: Array<[string, Record<string, string | undefined>, string, number, string]> = [
    ['missing signature', { 'x-hub-signature-256': undefined }, payload, 401, 'SIGNATURE_MISSING'],
    [
      'only the SHA-1 header',
      { 'x-hub-signature-256': undefined, 'x-hub-signature': `sha1=${'a'.repeat(40)}` },
      payload,
      401,
      'SIGNATURE_MISSING',
    ],
    ['malformed signature', { 'x-hub-signature-256': 'sha256=zz' }, payload, 401, 'SIGNATURE_MALFORMED'],
    ['truncated signature', { 'x-hub-signature-256': good.slice(0, -2) }, payload, 401, 'SIGNATURE_MALFORMED'],
    ['wrong signature', { 'x-hub-signature-256': githubSignature('other-secret', payload) }, payload, 401, 'SIGNATURE_INVALID'],
    [
      'wrong algorithm prefix',
      { 'x-hub-signature-256': good.replace('sha256=', 'sha1=') },
      payload,
      401,
      'SIGNATURE_ALGORITHM_UNSUPPORTED',
    ],
    ['signature of another body', {}, payload.replace('fix', 'fiX'), 401, 'SIGNATURE_INVALID'],
    ['empty body', { 'x-hub-signature-256': githubSignature(TEST_SECRETS.github, '') }, '', 400, 'EMPTY_BODY'],
    [
      'truncated JSON',
      { 'x-hub-signature-256': githubSignature(TEST_SECRETS.github, payload.slice(0, 40)) },
      payload.slice(0, 40),
      400,
      'MALFORMED_BODY',
    ],
    ['missing delivery id', { 'x-github-delivery': undefined }, payload, 400, 'DELIVERY_ID_MISSING'],
    ['missing event', { 'x-github-event': undefined }, payload, 400, 'EVENT_MISSING'],
  ];
  for (const [name, overrides, body, status, code] of cases) {
    it(`${name} -> ${status} ${code}`, async () => {
      const before = await countRows();
      const headers: Record<string, string> = { ...githubHeaders('issue_comment', payload), 'x-hub-signature-256': good };
      for (const [key, value] of Object.entries(overrides)) {
        if (value === undefined) delete headers[key];
        else headers[key] = value;
      }
      const response = await gw.app.inject({ method: 'POST', url: '/webhooks/github', payload: body, headers });
      expect(response.statusCode).toBe(status);
      expect(response.json().error.code).toBe(code);
      expect(await countRows()).toEqual(before);
    });
  }

  it('wrong content type -> 415, oversized -> 413, unknown provider -> 404, nothing stored', async () => {
    const before = await countRows();
    const wrongType = await gw.app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload,
      headers: { ...githubHeaders('issue_comment', payload), 'content-type': 'text/plain' },
    });
    expect(wrongType.statusCode).toBe(415);
    expect(wrongType.json().error.code).toBeTypeOf('string');

    const huge = `{"pad":"${'x'.repeat(25 * 1024 * 1024)}"}`;
    const tooLarge = await gw.app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: huge,
      headers: githubHeaders('issue_comment', huge),
    });
    expect(tooLarge.statusCode).toBe(413);
    expect(tooLarge.json().error.code).toBe('FST_ERR_CTP_BODY_TOO_LARGE');

    const unknown = await gw.app.inject({
      method: 'POST',
      url: '/webhooks/gitlab',
      payload,
      headers: githubHeaders('issue_comment', payload),
    });
    expect(unknown.statusCode).toBe(404);
    expect(unknown.json().error.code).toBe('NOT_FOUND');
    expect(await countRows()).toEqual(before);
  });
});

describe('NUL characters', () => {
  it('an escaped NUL anywhere in a verified payload is stored and processed, never a 5xx', async () => {
    const payload = issueComment('@agent-bot fix\u0000 it', { login: 'member\u0000-mia' }, 'MEMBER');
    payload.comment.html_url = 'https://x/\u0000';
    const body = JSON.stringify(payload);
    expect(body).toContain('\\u0000');
    const response = await gw.app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: body,
      headers: githubHeaders('issue_comment', body),
    });
    expect(response.statusCode).toBe(200);
    expect(response.json().status).toBe('enqueued');
    const [task] = await gw.db.sql`select prompt, requested_by from tasks where id = ${response.json().task_id}`;
    expect(task?.requested_by).toBe('member-mia');
    expect(task?.prompt).toContain('fix it');
  });

  it('a raw NUL byte in the body is a 400 and stores nothing', async () => {
    const before = await countRows();
    const body = Buffer.concat([Buffer.from('payload='), Buffer.from([0]), Buffer.from('x')]);
    const response = await gw.app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: body,
      headers: {
        ...githubHeaders('issue_comment', body.toString('latin1')),
        'content-type': 'application/x-www-form-urlencoded',
        'x-hub-signature-256': githubSignature(TEST_SECRETS.github, body),
      },
    });
    expect(response.statusCode).toBe(400);
    expect(await countRows()).toEqual(before);
  });
});

describe('duplicates', () => {
  it('answers a redelivery with {"duplicate": true} and creates nothing', async () => {
    const body = JSON.stringify(issueComment('@agent-bot fix twice?', { login: 'member-mia' }, 'MEMBER'));
    const headers = githubHeaders('issue_comment', body, randomUUID());
    const first = await gw.app.inject({ method: 'POST', url: '/webhooks/github', payload: body, headers });
    expect(first.json().status).toBe('enqueued');
    const before = await countRows();
    const second = await gw.app.inject({ method: 'POST', url: '/webhooks/github', payload: body, headers });
    expect(second.statusCode).toBe(200);
    expect(second.json()).toMatchObject({ duplicate: true });
    expect(await countRows()).toEqual(before);
  });

  it('20 copies at the same moment make one delivery, one task and one job', async () => {
    const deliveryId = randomUUID();
    const body = JSON.stringify(issueComment('@agent-bot fix in parallel', { login: 'member-mia' }, 'MEMBER'));
    const headers = githubHeaders('issue_comment', body, deliveryId);
    const jobsBefore = (await gw.jobIds()).length;
    const responses = await Promise.all(
      Array.from({ length: 20 }, () => gw.app.inject({ method: 'POST', url: '/webhooks/github', payload: body, headers })),
    );
    expect(responses.map((r) => r.statusCode)).toEqual(Array(20).fill(200));
    expect(responses.filter((r) => r.json().duplicate === true)).toHaveLength(19);
    const [row] = await gw.db.sql<[{ deliveries: number; tasks: number }]>`
      select (select count(*)::int from deliveries where delivery_id = ${deliveryId}) as deliveries,
             (select count(*)::int from tasks t join deliveries d on d.id = t.delivery_id where d.delivery_id = ${deliveryId}) as tasks`;
    expect(row).toEqual({ deliveries: 1, tasks: 1 });
    await gw.handoffs.settled();
    expect((await gw.jobIds()).length).toBe(jobsBefore + 1);
  });
});
