import { cp, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createSql } from '../create-sql.js';
import { DEFAULT_MIGRATIONS_DIR, migrate } from '../migrate.js';
import { PostgresTaskRepository } from './postgres-task-repository.js';

let db: TestDatabase;
let before: string;
let tasks: PostgresTaskRepository;

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  // The schema as it was before endings were tracked; the first test applies 0080 on top.
  before = await mkdtemp(join(tmpdir(), 'agentbot-migrations-'));
  await cp(DEFAULT_MIGRATIONS_DIR, before, { recursive: true });
  await rm(join(before, '0080_task_ending_reported.sql'));
  await migrate(db.sql, { dir: before });
  tasks = new PostgresTaskRepository(db.sql);
});
afterAll(async () => {
  await rm(before, { recursive: true, force: true });
  await db.drop();
});

const request = { kind: 'fix', priority: 'P2', source: 'github', prompt: 'x', context: { issueNumber: 7 } } as const;
const claim = (graceMs = 60_000, retryAfterMs = 60_000) => tasks.claimUnreportedEndings({ graceMs, retryAfterMs, limit: 100 });
const claimedIds = async (graceMs?: number, retryAfterMs?: number) =>
  (await claim(graceMs, retryAfterMs)).map((t) => t.id).sort();
/** Settled this long ago, as if its worker had had that long to report. */
const age = (id: string, minutes: number) =>
  db.sql`update tasks set finished_at = now() - make_interval(mins => ${minutes}) where id = ${id}`;
const reportedAt = async (id: string) =>
  (await db.sql<{ at: Date | null }[]>`select ending_reported_at as at from tasks where id = ${id}`)[0]?.at ?? null;

async function settled(as: 'succeeded' | 'failed' | 'cancelled'): Promise<string> {
  const task = await tasks.create(request);
  await tasks.markRunning(task.id, 1);
  if (as === 'succeeded') await tasks.markSucceeded(task.id, { attempt: 1, result: { summary: 'done' } });
  if (as === 'failed') await tasks.markFailed(task.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'boom' });
  if (as === 'cancelled') await tasks.cancel(task.id, 'cancelled by alice');
  return task.id;
}

describe('0080_task_ending_reported', () => {
  it('counts every task settled before it as reported, so the sweep never rewrites an old comment', async () => {
    const insert = async (status: string, finished: boolean) => {
      const [row] = await db.sql<{ id: string }[]>`
        insert into tasks (kind, source, prompt, status, attempts, started_at, finished_at, context)
        values ('fix', 'github', 'x', ${status}, 1, now() - interval '2 days',
                ${finished ? db.sql`now() - interval '1 day'` : null}, '{"issueNumber": 7}')
        returning id`;
      return row?.id as string;
    };
    const old = {
      succeeded: await insert('succeeded', true),
      failed: await insert('failed', true),
      cancelled: await insert('cancelled', true),
      queued: await insert('queued', false),
      running: await insert('running', false),
    };
    await migrate(db.sql);

    for (const id of [old.succeeded, old.failed, old.cancelled]) expect(await reportedAt(id)).toBeInstanceOf(Date);
    // Backfilled with when they finished, not with the migration's time.
    const backfilled = await reportedAt(old.succeeded);
    expect(Date.now() - (backfilled?.getTime() ?? Date.now())).toBeGreaterThan(23 * 3600_000);
    expect(await reportedAt(old.queued)).toBeNull();
    expect(await reportedAt(old.running)).toBeNull();
    expect(await claimedIds(0)).toEqual([]);

    // A task running across the upgrade reports its ending under the new rules.
    await tasks.markFailed(old.running, { attempt: 1, code: 'RUNNER_FAILED', message: 'boom' });
    await age(old.running, 10);
    expect(await claimedIds()).toEqual([old.running]);
    expect(await tasks.markEndingReported(old.running)).toBe(true);
  });
});

describe('task endings (after 0080)', () => {
  it('offers a settled task nobody reported once its grace period has passed, and never one that was reported', async () => {
    const ids = { succeeded: await settled('succeeded'), failed: await settled('failed'), cancelled: await settled('cancelled') };
    const reported = await settled('succeeded');
    expect(await tasks.markEndingReported(reported)).toBe(true);
    // Within the grace period the worker that settled them may still be writing their comments.
    expect(await claimedIds()).toEqual([]);
    for (const id of [...Object.values(ids), reported]) await age(id, 10);
    expect(await claimedIds()).toEqual(Object.values(ids).sort());
    // Taken: hidden from every sweeper until retryAfterMs has passed.
    expect(await claimedIds()).toEqual([]);
    for (const id of Object.values(ids)) expect(await tasks.markEndingReported(id)).toBe(true);
    expect(await claimedIds(60_000, 0)).toEqual([]);
  });

  it('records the report once: the second caller (a slow worker after the sweep, or the other way round) gets false', async () => {
    const id = await settled('failed');
    expect(await tasks.markEndingReported(id)).toBe(true);
    expect(await tasks.markEndingReported(id)).toBe(false);
    // Not settled: nothing to record.
    const running = await tasks.create(request);
    await tasks.markRunning(running.id, 1);
    expect(await tasks.markEndingReported(running.id)).toBe(false);
    expect(await tasks.markEndingReported('not-a-uuid')).toBe(false);
  });

  it('never offers a queued or running task, and offers a failed report again after retryAfterMs', async () => {
    const running = await tasks.create(request);
    await tasks.markRunning(running.id, 1);
    const retrying = await tasks.create(request);
    await tasks.markRunning(retrying.id, 1);
    await tasks.markRetrying(retrying.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'boom' });
    await db.sql`update tasks set created_at = now() - interval '1 hour' where id in ${db.sql([running.id, retrying.id])}`;
    const failed = await settled('failed');
    await age(failed, 10);
    expect(await claimedIds(60_000, 1_000)).toEqual([failed]);
    expect(await claimedIds(60_000, 1_000)).toEqual([]);
    await db.sql`update tasks set ending_sweep_after = now() - interval '1 second' where id = ${failed}`;
    expect(await claimedIds()).toEqual([failed]);
    await tasks.markEndingReported(failed);
  });

  it('a task cancelled before any attempt started has nothing to tell; one cancelled between attempts does', async () => {
    const neverStarted = await tasks.create(request);
    expect(await tasks.cancel(neverStarted.id, 'cancelled by alice')).toMatchObject({ status: 'cancelled' });
    expect(await reportedAt(neverStarted.id)).toBeInstanceOf(Date);
    // Its first attempt wrote a comment ("working", then "retrying"); no worker will write the cancel.
    const between = await tasks.create(request);
    await tasks.markRunning(between.id, 1);
    await tasks.markRetrying(between.id, { attempt: 1, code: 'RUNNER_FAILED', message: 'boom' });
    await tasks.cancel(between.id, 'cancelled by alice');
    expect(await reportedAt(between.id)).toBeNull();
    for (const id of [neverStarted.id, between.id]) await age(id, 10);
    expect(await claimedIds()).toEqual([between.id]);
    await tasks.markEndingReported(between.id);
  });

  it('two sweepers claiming at the same moment take each task once', async () => {
    const ids: string[] = [];
    for (let i = 0; i < 30; i++) ids.push(await settled('succeeded'));
    await db.sql`update tasks set finished_at = now() - interval '10 minutes' where id in ${db.sql(ids)}`;
    const otherSql = createSql({ url: db.url, poolSize: 2 });
    try {
      const other = new PostgresTaskRepository(otherSql);
      const options = { graceMs: 60_000, retryAfterMs: 60_000, limit: 20 };
      const [a, b] = await Promise.all([tasks.claimUnreportedEndings(options), other.claimUnreportedEndings(options)]);
      const rest = await tasks.claimUnreportedEndings(options);
      const all = [...a, ...b, ...rest].map((t) => t.id);
      expect(new Set(all).size).toBe(all.length);
      expect(all.sort()).toEqual([...ids].sort());
    } finally {
      await otherSql.end({ timeout: 5 });
    }
    for (const id of ids) await tasks.markEndingReported(id);
  });
});
