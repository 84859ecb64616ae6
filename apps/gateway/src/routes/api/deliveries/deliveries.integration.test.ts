import { randomUUID } from 'node:crypto';
import { createSql } from '@agent-bot/db';
import { freePort } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { InMemoryRepositoryPermissions } from '../../../test-support/in-memory-permissions.js';
import { TEST_ADMIN_TOKEN, type TestGateway, createTestGateway, githubHeaders } from '../../../test-support/test-gateway.js';

let gw: TestGateway;
const permissions = new InMemoryRepositoryPermissions();
const auth = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };

beforeAll(async () => {
  gw = await createTestGateway({ permissions });
});
afterAll(async () => {
  await gw.close();
});

function comment(login: string, association: string, body = '@agent-bot fix the build') {
  return JSON.stringify({
    action: 'created',
    installation: { id: 5 },
    repository: { full_name: 'octo/widgets' },
    issue: { number: 1, title: 'Build', labels: [] },
    comment: { id: 1, body, user: { login, type: 'User' }, author_association: association },
    sender: { login },
  });
}

async function post(body: string, event = 'issue_comment') {
  return gw.app.inject({ method: 'POST', url: '/webhooks/github', payload: body, headers: githubHeaders(event, body) });
}

describe('/api/deliveries', () => {
  it('requires the admin token', async () => {
    const response = await gw.app.inject({ method: 'GET', url: '/api/deliveries' });
    expect(response.statusCode).toBe(401);
  });

  it('lists with status and provider filters and keyset pagination, and shows one with its payload', async () => {
    await post(JSON.stringify({ zen: 'Keep it simple', hook_id: 1 }), 'ping');
    await post(comment('owner', 'OWNER'));
    await post(comment('someone', 'NONE'));
    const ignored = await gw.app.inject({ method: 'GET', url: '/api/deliveries?status=ignored&provider=github', headers: auth });
    expect(ignored.statusCode).toBe(200);
    const list = ignored.json().deliveries as Array<{ status: string; reason: string; id: string }>;
    expect(list.length).toBeGreaterThanOrEqual(2);
    expect(list.every((d) => d.status === 'ignored' && d.reason.length > 0)).toBe(true);

    const page1 = (await gw.app.inject({ method: 'GET', url: '/api/deliveries?limit=2', headers: auth })).json();
    expect(page1.deliveries).toHaveLength(2);
    expect(page1.next_before).toBe(page1.deliveries[1].id);
    const page2 = (
      await gw.app.inject({ method: 'GET', url: `/api/deliveries?limit=2&before=${page1.next_before}`, headers: auth })
    ).json();
    expect(page2.deliveries.length).toBeGreaterThanOrEqual(1);
    expect(page2.deliveries.map((d: { id: string }) => d.id)).not.toContain(page1.deliveries[0].id);

    const one = await gw.app.inject({ method: 'GET', url: `/api/deliveries/${list[0]?.id}`, headers: auth });
    expect(one.json().delivery.payload).toBeTypeOf('object');
    expect(one.json().delivery.headers['x-github-event']).toBeTypeOf('string');
    expect(JSON.stringify(one.json().delivery.headers)).not.toMatch(/signature/i);

    const missing = await gw.app.inject({ method: 'GET', url: `/api/deliveries/${randomUUID()}`, headers: auth });
    expect(missing.statusCode).toBe(404);
    const badFilter = await gw.app.inject({ method: 'GET', url: '/api/deliveries?status=bogus', headers: auth });
    expect(badFilter.statusCode).toBe(400);
  });

  it('replay re-runs a stored delivery through the same path: an ignored one can become a task, never two', async () => {
    const response = await post(comment('newcomer', 'CONTRIBUTOR'));
    expect(response.json()).toMatchObject({ status: 'ignored', reason: 'author not allowed: newcomer has read permission' });
    const id = response.json().delivery_id as string;

    // The operator grants write access, then replays.
    permissions.grant('newcomer', 'write');
    const replay = await gw.app.inject({ method: 'POST', url: `/api/deliveries/${id}/replay`, headers: auth });
    expect(replay.statusCode).toBe(200);
    expect(replay.json().result.status).toBe('enqueued');
    expect(replay.json().delivery).toMatchObject({ status: 'enqueued', attempts: 2 });
    const taskId = replay.json().result.task_id as string;

    const again = await gw.app.inject({ method: 'POST', url: `/api/deliveries/${id}/replay`, headers: auth });
    expect(again.json().result).toMatchObject({ status: 'enqueued', task_id: taskId, task_status: 'queued', hint: null });
    const [count] = await gw.db.sql<[{ n: number }]>`select count(*)::int as n from tasks where delivery_id = ${id}`;
    expect(count.n).toBe(1);
    expect((await gw.jobIds()).filter((job) => job === taskId)).toHaveLength(1);

    // Once the task has run, a replay says so instead of claiming it was enqueued, and points to retry.
    await gw.deps.tasks.markRunning(taskId, 1);
    const whileRunning = await gw.app.inject({ method: 'POST', url: `/api/deliveries/${id}/replay`, headers: auth });
    expect(whileRunning.json().result).toMatchObject({ status: 'already_ran', task_id: taskId, task_status: 'running' });
    await gw.deps.tasks.markSucceeded(taskId, { attempt: 1 });
    const afterRun = await gw.app.inject({ method: 'POST', url: `/api/deliveries/${id}/replay`, headers: auth });
    expect(afterRun.statusCode).toBe(200);
    expect(afterRun.json().result).toEqual({
      status: 'already_ran',
      task_id: taskId,
      task_status: 'succeeded',
      reason: `task ${taskId} already ran (succeeded); a replay never runs a delivery's task twice`,
      hint: expect.stringContaining(`retry task ${taskId}`),
    });
    // The delivery itself stays settled as enqueued with its one task.
    expect(afterRun.json().delivery).toMatchObject({ status: 'enqueued', task_id: taskId });
    const [stillOne] = await gw.db.sql<[{ n: number }]>`select count(*)::int as n from tasks where delivery_id = ${id}`;
    expect(stillOne.n).toBe(1);

    const unknown = await gw.app.inject({ method: 'POST', url: `/api/deliveries/${randomUUID()}/replay`, headers: auth });
    expect(unknown.statusCode).toBe(404);
  });

  it('counts deliveries by provider, event and outcome and times ingestion', async () => {
    const text = await gw.metrics.registry.metrics();
    expect(text).toMatch(/agentbot_deliveries_total\{provider="github",event="issue_comment",outcome="enqueued"\} [1-9]/);
    expect(text).toMatch(/agentbot_deliveries_total\{provider="github",event="ping",outcome="ignored"\} 1/);
    expect(text).toMatch(/agentbot_webhook_ingest_duration_seconds_count\{provider="github"\} [1-9]/);
  });
});

describe('PostgreSQL down', () => {
  it('answers 503 with a JSON error so the sender retries, and the reconciler stays quiet', async () => {
    const port = await freePort();
    // A real client aimed at a port where no PostgreSQL listens: every query fails like an outage.
    const deadSql = createSql({ url: `postgres://postgres@127.0.0.1:${port}/none`, connectTimeoutSeconds: 1, poolSize: 1 });
    const down = await createTestGateway({ db: { name: 'none', url: '', sql: deadSql, drop: async () => {} } });
    try {
      const body = comment('owner', 'OWNER');
      const response = await down.app.inject({
        method: 'POST',
        url: '/webhooks/github',
        payload: body,
        headers: githubHeaders('issue_comment', body),
      });
      expect(response.statusCode).toBe(503);
      expect(response.json().error.code).toBe('DEPENDENCY_UNAVAILABLE');
      // A forged request is still 401, not 503: authenticity is checked before storage.
      const forged = await down.app.inject({
        method: 'POST',
        url: '/webhooks/github',
        payload: body,
        headers: { ...githubHeaders('issue_comment', body), 'x-hub-signature-256': `sha256=${'0'.repeat(64)}` },
      });
      expect(forged.statusCode).toBe(401);
    } finally {
      await down.close();
      await deadSql.end({ timeout: 1 });
    }
  });
});
