import { waitFor } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startOwnRedis } from '../test-support/own-redis.js';
import { TEST_ADMIN_TOKEN, type TestGateway, createTestGateway, githubHeaders } from '../test-support/test-gateway.js';

let redis: Awaited<ReturnType<typeof startOwnRedis>>;
let gw: TestGateway;

beforeAll(async () => {
  redis = await startOwnRedis();
  gw = await createTestGateway({ redisUrl: redis.url });
});
afterAll(async () => {
  await gw?.close();
  await redis?.destroy();
});

function mentionPayload(n: number) {
  return JSON.stringify({
    action: 'created',
    installation: { id: 1 },
    repository: { full_name: 'octo/widgets' },
    issue: { number: n, title: `Issue ${n}`, labels: [] },
    comment: {
      id: 1000 + n,
      body: `@agent-bot fix number ${n}`,
      user: { login: 'mia', type: 'User' },
      author_association: 'OWNER',
    },
    sender: { login: 'mia' },
  });
}

async function postMention(n: number) {
  const body = mentionPayload(n);
  return gw.app.inject({ method: 'POST', url: '/webhooks/github', payload: body, headers: githubHeaders('issue_comment', body) });
}

describe('Redis outage during ingestion', () => {
  it('acknowledges every delivery while Redis is down, then queues each task exactly once after it returns', async () => {
    const total = 30;
    const statuses: Array<{ code: number; status: string }> = [];
    let stopped: Promise<void> | undefined;
    for (let n = 1; n <= total; n += 1) {
      // Redis goes away while deliveries keep arriving.
      if (n === 6) stopped = redis.stop();
      if (n === 10) await stopped;
      const response = await postMention(n);
      statuses.push({ code: response.statusCode, status: response.json().status });
    }
    // An API task created during the outage is left behind too.
    const apiTask = await gw.app.inject({
      method: 'POST',
      url: '/api/tasks',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
      payload: { prompt: 'summarise the backlog' },
    });
    expect(apiTask.statusCode).toBe(202);
    expect(apiTask.json().enqueued).toBe(false);

    // Every delivery was acknowledged once stored with its task (never 5xx); the job is handed to
    // the queue after the answer, and those hand-offs after the stop failed: stored, not queued.
    expect(statuses.every((s) => s.code === 200 && s.status === 'enqueued')).toBe(true);
    await gw.handoffs.settled();
    const deferred = await gw.db.sql<Array<{ delivery_id: string; reason: string }>>`
      select delivery_id, reason from deliveries where status = 'received' order by received_at`;
    expect(deferred.length).toBeGreaterThanOrEqual(total - 9);
    expect(deferred.every((d) => d.reason.includes('queue unavailable'))).toBe(true);
    const [stored] = await gw.db.sql<[{ deliveries: number; tasks: number }]>`
      select (select count(*)::int from deliveries) as deliveries, (select count(*)::int from tasks) as tasks`;
    expect(stored).toEqual({ deliveries: total, tasks: total + 1 });

    // While Redis is still down a reconciler pass does nothing.
    expect(await gw.reconciler.runOnce({ minAgeMs: 0 })).toMatchObject({ skipped: 'queue unavailable' });

    await redis.start();
    await waitFor('the producer connection to reconnect', async () => {
      await gw.queue.ping();
      return true;
    });
    // Two reconcilers at once (two gateway replicas), then another pass: still one job per task.
    const reports = await Promise.all([gw.reconciler.runOnce({ minAgeMs: 0 }), gw.reconciler.runOnce({ minAgeMs: 0 })]);
    const third = await gw.reconciler.runOnce({ minAgeMs: 0 });
    expect(reports.reduce((sum, r) => sum + r.enqueuedDeliveries, 0)).toBe(deferred.length);
    // The API task: queued by one of them (both may race to it; the queue keeps one job per id).
    expect(reports.reduce((sum, r) => sum + r.tasks, 0)).toBeGreaterThanOrEqual(1);
    expect(third).toMatchObject({ deliveries: 0, tasks: 0 });

    const taskIds = (await gw.db.sql<Array<{ id: string }>>`select id from tasks order by id`).map((row) => row.id);
    expect(await gw.jobIds()).toEqual(taskIds);
    const [settled] = await gw.db.sql<[{ pending: number; enqueued: number }]>`
      select count(*) filter (where status = 'received')::int as pending, count(*) filter (where status = 'enqueued')::int as enqueued
      from deliveries`;
    expect(settled).toEqual({ pending: 0, enqueued: total });
    const [ledger] = await gw.db.sql<
      [{ unqueued: number }]
    >`select count(*)::int as unqueued from tasks where enqueued_at is null`;
    expect(ledger.unqueued).toBe(0);
  });
});

describe('a gateway that dies between storing a delivery and queueing its task', () => {
  it('leaves the delivery enqueued and the task queued; the reconciler queues it exactly once', async () => {
    // What the live path writes first (delivery + task in one statement), with no queueing after it.
    const { delivery, task } = await gw.ingestion.deliveries.recordSettled(
      {
        provider: 'github',
        deliveryId: 'crashed-before-queue',
        event: 'issue_comment',
        action: 'created',
        headers: {},
        body: '{}',
      },
      { kind: 'task', request: { kind: 'fix', priority: 'P1', source: 'github', prompt: 'fix it', context: {} } },
    );
    if (!task) throw new Error('expected a task');
    expect(delivery.status).toBe('enqueued');
    expect(await gw.jobIds()).not.toContain(task.id);

    const reports = await Promise.all([gw.reconciler.runOnce({ minAgeMs: 0 }), gw.reconciler.runOnce({ minAgeMs: 0 })]);
    expect(reports.reduce((sum, r) => sum + r.tasks, 0)).toBe(1);
    expect(await gw.jobIds()).toContain(task.id);
    expect(await gw.reconciler.runOnce({ minAgeMs: 0 })).toMatchObject({ deliveries: 0, tasks: 0 });
    const [row] = await gw.db.sql<
      [{ enqueued: boolean }]
    >`select enqueued_at is not null as enqueued from tasks where id = ${task.id}`;
    expect(row.enqueued).toBe(true);
  });

  it('confirms a waiting webhook task that did reach the queue without queueing it twice', async () => {
    const response = await postMention(500);
    expect(response.json()).toMatchObject({ status: 'enqueued' });
    const taskId = response.json().task_id as string;
    await gw.handoffs.settled();
    expect(await gw.jobIds()).toContain(taskId);
    const before = (await gw.jobIds()).length;
    const report = await gw.reconciler.runOnce({ minAgeMs: 0 });
    expect(report.tasks).toBe(0);
    expect((await gw.jobIds()).length).toBe(before);
    const [row] = await gw.db.sql<
      [{ enqueued: boolean }]
    >`select enqueued_at is not null as enqueued from tasks where id = ${taskId}`;
    expect(row.enqueued).toBe(true);
  });
});
