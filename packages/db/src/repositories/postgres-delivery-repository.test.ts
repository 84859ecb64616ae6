import type { ParsedTaskRequest } from '@agent-bot/contracts';
import { createTestDatabase, type TestDatabase } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresDeliveryRepository } from './postgres-delivery-repository.js';
import { PostgresInstallationRepository } from './postgres-installation-repository.js';
import { PostgresTaskQueueLedger } from './postgres-task-queue-ledger.js';
import { PostgresTaskRepository } from './postgres-task-repository.js';

let db: TestDatabase;
let deliveries: PostgresDeliveryRepository;

beforeAll(async () => {
  db = await createTestDatabase();
  deliveries = new PostgresDeliveryRepository(db.sql);
});
afterAll(async () => {
  await db.drop();
});

const request: ParsedTaskRequest = { kind: 'fix', priority: 'P1', source: 'github', prompt: 'fix it', context: { n: 1 } };

function newDelivery(deliveryId: string) {
  return {
    provider: 'github' as const,
    deliveryId,
    event: 'issue_comment',
    action: 'created',
    headers: { a: 'b' },
    body: '{"x":1}',
  };
}

describe('PostgresDeliveryRepository', () => {
  it('stores a delivery once; 20 concurrent copies yield one row and 19 duplicates', async () => {
    const results = await Promise.all(Array.from({ length: 20 }, () => deliveries.record(newDelivery('race-1'))));
    expect(results.filter((r) => !r.duplicate)).toHaveLength(1);
    expect(new Set(results.map((r) => r.delivery.id)).size).toBe(1);
    const [{ count }] = await db.sql<
      [{ count: number }]
    >`select count(*)::int as count from deliveries where delivery_id = 'race-1'`;
    expect(count).toBe(1);
    expect(results[0]?.delivery.attempts).toBe(1);
    expect(results[0]?.delivery.body).toBe('{"x":1}');
  });

  it('creates at most one task per delivery, also when asked concurrently', async () => {
    const { delivery } = await deliveries.record(newDelivery('task-1'));
    const results = await Promise.all(Array.from({ length: 10 }, () => deliveries.createTask(delivery.id, request)));
    expect(results.filter((r) => r.created)).toHaveLength(1);
    expect(new Set(results.map((r) => r.task.id)).size).toBe(1);
    const stored = await deliveries.get(delivery.id);
    expect(stored?.taskId).toBe(results[0]?.task.id);
    expect(stored?.status).toBe('received');
    expect(results[0]?.task.deliveryId).toBe(delivery.id);
    await deliveries.markEnqueued(delivery.id, results[0]?.task.id as string);
    expect((await deliveries.get(delivery.id))?.status).toBe('enqueued');
    const [ledger] = await db.sql<
      [{ enqueued_at: Date | null }]
    >`select enqueued_at from tasks where id = ${results[0]?.task.id as string}`;
    expect(ledger.enqueued_at).toBeInstanceOf(Date);
  });

  it('records a delivery with its task in one write, once, also when 20 race', async () => {
    const results = await Promise.all(
      Array.from({ length: 20 }, () => deliveries.recordSettled(newDelivery('settled-1'), { kind: 'task', request })),
    );
    const fresh = results.filter((r) => !r.duplicate);
    expect(fresh).toHaveLength(1);
    const task = fresh[0]?.task;
    expect(task?.deliveryId).toBe(fresh[0]?.delivery.id);
    expect(task?.status).toBe('queued');
    expect(fresh[0]?.delivery).toMatchObject({ status: 'enqueued', taskId: task?.id, attempts: 1 });
    const stored = await deliveries.get(fresh[0]?.delivery.id as string);
    expect(stored).toMatchObject({ taskId: task?.id, body: '{"x":1}', headers: { a: 'b' } });
    const [count] = await db.sql<[{ n: number }]>`
      select count(*)::int as n from tasks t join deliveries d on d.id = t.delivery_id where d.delivery_id = 'settled-1'`;
    expect(count.n).toBe(1);
  });

  it('gives every caller of a concurrent mixed batch its own result', async () => {
    const existing = await deliveries.recordSettled(newDelivery('mixed-existing'), { kind: 'ignored', reason: 'first' });
    const calls = Array.from({ length: 30 }, (_, i) =>
      i === 29
        ? deliveries.recordSettled(newDelivery('mixed-existing'), { kind: 'task', request })
        : deliveries.recordSettled(
            newDelivery(`mixed-${i}`),
            i % 2 === 0 ? { kind: 'task', request: { ...request, prompt: `p${i}` } } : { kind: 'ignored', reason: `r${i}` },
          ),
    );
    const results = await Promise.all(calls);
    for (const [i, result] of results.entries()) {
      if (i === 29) {
        expect(result).toMatchObject({ duplicate: true, task: null, delivery: { id: existing.delivery.id, reason: 'first' } });
      } else if (i % 2 === 0) {
        expect(result.duplicate).toBe(false);
        expect(result.task?.prompt).toBe(`p${i}`);
        expect(result.delivery).toMatchObject({ deliveryId: `mixed-${i}`, status: 'enqueued', taskId: result.task?.id });
      } else {
        expect(result).toMatchObject({
          duplicate: false,
          task: null,
          delivery: { deliveryId: `mixed-${i}`, status: 'ignored', reason: `r${i}` },
        });
      }
    }
    const [counts] = await db.sql<[{ deliveries: number; tasks: number }]>`
      select (select count(*)::int from deliveries where delivery_id like 'mixed-%') as deliveries,
             (select count(*)::int from tasks t join deliveries d on d.id = t.delivery_id where d.delivery_id like 'mixed-%') as tasks`;
    expect(counts).toEqual({ deliveries: 30, tasks: 15 });
  });

  it('returns the task exactly as stored, defaults included', async () => {
    const { task } = await deliveries.recordSettled(newDelivery('as-stored-1'), {
      kind: 'task',
      request: { ...request, title: 'T', repo: 'octo/widgets', context: { url: 'https://example.test/1', n: 2 } },
    });
    const stored = await new PostgresTaskRepository(db.sql).get(task?.id as string);
    expect(task).toEqual(stored);
  });

  it('stores large bodies lz4-compressed (cheaper to write than the default pglz)', async () => {
    const body = JSON.stringify({ text: 'The flaky test fails about one run in ten. '.repeat(200) });
    const { delivery } = await deliveries.recordSettled({ ...newDelivery('lz4-1'), body }, { kind: 'ignored', reason: 'x' });
    const [row] = await db.sql<[{ compression: string | null; body: string }]>`
      select pg_column_compression(body) as compression, body from deliveries where id = ${delivery.id}`;
    expect(row).toEqual({ compression: 'lz4', body });
  });

  it('records an ignored delivery with its reason in one write', async () => {
    const first = await deliveries.recordSettled(newDelivery('settled-2'), {
      kind: 'ignored',
      reason: 'event not handled: ping',
    });
    expect(first).toMatchObject({
      duplicate: false,
      task: null,
      delivery: { status: 'ignored', reason: 'event not handled: ping' },
    });
    const again = await deliveries.recordSettled(newDelivery('settled-2'), { kind: 'ignored', reason: 'other' });
    expect(again.duplicate).toBe(true);
    expect((await deliveries.get(first.delivery.id))?.reason).toBe('event not handled: ping');
  });

  it('claims pending deliveries as a lease and lists with filters and keyset pagination', async () => {
    const a = await deliveries.record({ ...newDelivery('p-a'), provider: 'slack' });
    const b = await deliveries.record({ ...newDelivery('p-b'), provider: 'slack' });
    await deliveries.markIgnored(b.delivery.id, 'no trigger');
    const claimed = await deliveries.claimPending({ olderThanMs: 0, limit: 100 });
    expect(claimed.map((d) => d.deliveryId)).toContain('p-a');
    expect(claimed.map((d) => d.deliveryId)).not.toContain('p-b');
    // Leased: a second reconciler within the lease does not get it.
    const again = await deliveries.claimPending({ olderThanMs: 0, limit: 100 });
    expect(again.map((d) => d.deliveryId)).not.toContain('p-a');
    // Once the lease is over it can be claimed again.
    const afterLease = await deliveries.claimPending({ olderThanMs: 0, leaseMs: 0, limit: 100 });
    expect(afterLease.find((d) => d.deliveryId === 'p-a')?.attempts).toBe(3);

    const ignored = await deliveries.list({ status: 'ignored', provider: 'slack' });
    expect(ignored.map((d) => d.id)).toEqual([b.delivery.id]);
    expect(ignored[0]?.reason).toBe('no trigger');
    const page1 = await deliveries.list({ limit: 2 });
    const page2 = await deliveries.list({ limit: 2, before: page1[1]?.id });
    expect(page2.some((d) => page1.some((p) => p.id === d.id))).toBe(false);
    expect(page1.length + page2.length).toBeGreaterThanOrEqual(3);
    expect(a.delivery.status).toBe('received');
  });
});

describe('PostgresTaskQueueLedger', () => {
  it('lists queued tasks never enqueued until marked, leaving delivery tasks to their delivery', async () => {
    const ledger = new PostgresTaskQueueLedger(db.sql);
    const { delivery } = await deliveries.record(newDelivery('ledger-1'));
    const fromDelivery = await deliveries.createTask(delivery.id, request);
    const task = await new PostgresTaskRepository(db.sql).create({ ...request, source: 'api' });
    const listed = (await ledger.listUnenqueued({ olderThanMs: 0, limit: 100 })).map((t) => t.id);
    expect(listed).toContain(task.id);
    expect(listed).not.toContain(fromDelivery.task.id);
    await ledger.markEnqueued(task.id);
    expect((await ledger.listUnenqueued({ olderThanMs: 0, limit: 100 })).map((t) => t.id)).not.toContain(task.id);
  });
});

describe('PostgresInstallationRepository', () => {
  it('upserts, changes repositories, suspends and deletes', async () => {
    const installations = new PostgresInstallationRepository(db.sql);
    await installations.upsert({
      provider: 'github',
      externalId: '42',
      accountLogin: 'octo',
      accountType: 'Organization',
      repositorySelection: 'selected',
      repositories: [{ id: 1, fullName: 'octo/a' }],
      permissions: { issues: 'write' },
      events: ['issues'],
      suspendedAt: null,
    });
    await installations.changeRepositories('github', '42', {
      added: [{ id: 2, fullName: 'octo/b' }],
      removed: [{ id: 1, fullName: 'octo/a' }],
    });
    expect((await installations.get('github', '42'))?.repositories).toEqual([{ id: 2, fullName: 'octo/b' }]);
    await installations.setSuspended('github', '42', true);
    expect((await installations.get('github', '42'))?.suspendedAt).toBeInstanceOf(Date);
    await installations.markDeleted('github', '42');
    expect((await installations.get('github', '42'))?.deletedAt).toBeInstanceOf(Date);
    // A later install re-activates it and keeps the repositories when none are given.
    await installations.upsert({
      provider: 'github',
      externalId: '42',
      accountLogin: 'octo',
      accountType: 'Organization',
      repositorySelection: 'selected',
      permissions: {},
      events: [],
      suspendedAt: null,
    });
    const row = await installations.get('github', '42');
    expect(row?.deletedAt).toBeNull();
    expect(row?.repositories).toEqual([{ id: 2, fullName: 'octo/b' }]);
  });
});
