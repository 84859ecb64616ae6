import { type TestDatabase, createTestDatabase } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresInstallationSpend, PostgresStalledTasks } from './postgres-task-supervision.js';
import { PostgresTaskRepository } from './postgres-task-repository.js';

let db: TestDatabase;
let tasks: PostgresTaskRepository;

beforeAll(async () => {
  db = await createTestDatabase();
  tasks = new PostgresTaskRepository(db.sql);
});
afterAll(() => db.drop());

const request = (installationId: string) =>
  ({ kind: 'fix', priority: 'P2', source: 'github', prompt: 'x', installationId, context: {} }) as const;

describe('task supervision', () => {
  it('sums the cost of an installation this month only', async () => {
    const spend = new PostgresInstallationSpend(db.sql);
    const a = await tasks.create(request('inst-1'));
    const b = await tasks.create(request('inst-1'));
    const other = await tasks.create(request('inst-2'));
    await tasks.markRunning(a.id, 1);
    await tasks.markSucceeded(a.id, { attempt: 1, usage: { inputTokens: 1, outputTokens: 1, costUsd: 1.25 } });
    await tasks.markRunning(b.id, 1);
    await tasks.markFailed(b.id, {
      attempt: 1,
      code: 'X',
      message: 'x',
      usage: { inputTokens: 1, outputTokens: 1, costUsd: 0.5 },
    });
    await tasks.markRunning(other.id, 1);
    await tasks.markSucceeded(other.id, { attempt: 1, usage: { inputTokens: 1, outputTokens: 1, costUsd: 9 } });
    // Last month's tasks do not count.
    const old = await tasks.create(request('inst-1'));
    await db.sql`update tasks set cost_usd = 100, created_at = now() - interval '40 days' where id = ${old.id}`;
    expect(await spend.monthToDateUsd('inst-1')).toBeCloseTo(1.75);
    expect(await spend.monthToDateUsd('nobody')).toBe(0);
  });

  it('counts every attempt of a retried task towards the monthly spend', async () => {
    const spend = new PostgresInstallationSpend(db.sql);
    const task = await tasks.create(request('inst-retried'));
    await tasks.markRunning(task.id, 1);
    const usage = (costUsd: number) => ({ inputTokens: 1, outputTokens: 1, costUsd });
    await tasks.markRetrying(task.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'x', usage: usage(2) });
    await tasks.markRunning(task.id, 2);
    await tasks.markRetrying(task.id, { attempt: 2, code: 'RUNNER_FAILED', message: 'x', usage: usage(1.5) });
    await tasks.markRunning(task.id, 3);
    await tasks.markSucceeded(task.id, { attempt: 3, usage: usage(0.25) });
    expect(await spend.monthToDateUsd('inst-retried')).toBeCloseTo(3.75);
  });

  it('marks only running tasks with an old heartbeat as stalled, once', async () => {
    const stalled = new PostgresStalledTasks(db.sql);
    const dead = await tasks.create(request('inst-3'));
    const alive = await tasks.create(request('inst-3'));
    const queued = await tasks.create(request('inst-3'));
    await tasks.markRunning(dead.id, 1);
    await tasks.markRunning(alive.id, 1);
    await db.sql`update tasks set heartbeat_at = now() - interval '10 minutes', created_at = now() - interval '20 minutes', started_at = now() - interval '20 minutes' where id = ${dead.id}`;
    await db.sql`update tasks set created_at = now() - interval '20 minutes' where id = ${queued.id}`;
    await tasks.heartbeat(alive.id);
    const found = await stalled.markStalled(5 * 60_000);
    expect(found.map((t) => t.id)).toEqual([dead.id]);
    expect(found[0]).toMatchObject({ status: 'failed', errorCode: 'TASK_STALLED' });
    expect(await stalled.markStalled(5 * 60_000)).toEqual([]);
    expect((await tasks.get(alive.id))?.status).toBe('running');
    expect((await tasks.get(queued.id))?.status).toBe('queued');
  });

  it('leaves a stalled task that started publishing alone unless named: only the caller can tell whether a worker will take it over', async () => {
    const stalled = new PostgresStalledTasks(db.sql);
    const publishing = await tasks.create(request('inst-4'));
    const abandoned = await tasks.create(request('inst-4'));
    const plain = await tasks.create(request('inst-4'));
    const fresh = await tasks.create(request('inst-4'));
    for (const task of [publishing, abandoned, plain, fresh]) await tasks.markRunning(task.id, 1);
    for (const task of [publishing, abandoned, fresh]) await tasks.startPublishing(task.id);
    const stale = [publishing.id, abandoned.id, plain.id];
    await db.sql`update tasks set heartbeat_at = now() - interval '10 minutes' where id = any(${stale}::uuid[])`;

    const found = await stalled.stalledPublishing(5 * 60_000);
    expect(found.map((t) => t.id).sort()).toEqual([publishing.id, abandoned.id].sort());

    const failed = await stalled.markStalled(5 * 60_000, { publishing: [abandoned.id, fresh.id] });
    expect(failed.map((t) => t.id).sort()).toEqual([abandoned.id, plain.id].sort());
    expect(failed.find((t) => t.id === abandoned.id)).toMatchObject({
      status: 'failed',
      errorCode: 'TASK_STALLED',
      errorMessage: expect.stringContaining('while publishing'),
    });
    expect(failed.find((t) => t.id === plain.id)?.errorMessage).not.toContain('publishing');
    // Not named: still running, for the worker that takes its job over. Named but alive: untouched.
    expect(await tasks.get(publishing.id)).toMatchObject({ status: 'running' });
    expect(await tasks.get(fresh.id)).toMatchObject({ status: 'running' });
    expect(await stalled.markStalled(5 * 60_000)).toEqual([]);
  });
});
