import { cp, mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createTestDatabase, type TestDatabase } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_MIGRATIONS_DIR, migrate } from '../migrate.js';
import { PostgresTaskRepository } from './postgres-task-repository.js';

let db: TestDatabase;
let before: string;

beforeAll(async () => {
  db = await createTestDatabase({ migrate: false });
  // The schema as it was before per-attempt usage (0070 and everything after it).
  before = await mkdtemp(join(tmpdir(), 'agentbot-migrations-'));
  await cp(DEFAULT_MIGRATIONS_DIR, before, { recursive: true });
  for (const file of await readdir(before)) if (file >= '0070') await rm(join(before, file));
  await migrate(db.sql, { dir: before });
});
afterAll(async () => {
  await rm(before, { recursive: true, force: true });
  await db.drop();
});

describe('0070_task_attempt_usage (and 0090_task_attempt_runs, 0100 after it)', () => {
  it('keeps the usage recorded before it as the last attempt, so totals stay and a repeated write counts once', async () => {
    const [cancelled] = await db.sql<{ id: string }[]>`
      insert into tasks (kind, source, prompt, status, attempts, input_tokens, output_tokens, cost_usd)
      values ('fix', 'api', 'x', 'cancelled', 2, 500, 60, 0.2) returning id`;
    const [failed] = await db.sql<{ id: string }[]>`
      insert into tasks (kind, source, prompt, status, attempts, input_tokens, output_tokens, cost_usd)
      values ('fix', 'api', 'x', 'failed', 2, 100, 10, 0.5) returning id`;
    await migrate(db.sql);

    const tasks = new PostgresTaskRepository(db.sql);
    expect(await tasks.get(failed?.id as string)).toMatchObject({ inputTokens: 100, outputTokens: 10, costUsd: 0.5 });
    // 0090: rows from before run ids are the attempt's run without an id.
    const moved = await db.sql`select attempt, run_id from task_attempt_usage where task_id = ${failed?.id as string}`;
    expect(moved).toEqual([{ attempt: 2, run_id: '' }]);
    // 0100: such a run is listed without an id, first recorded when it was last written.
    const [listed] = await tasks.listRuns(failed?.id as string);
    expect(listed).toMatchObject({ attempt: 2, runId: null, inputTokens: 100, outputTokens: 10, costUsd: 0.5 });
    expect(listed?.firstRecordedAt).toEqual(listed?.recordedAt);
    // A late report of an earlier attempt (its worker was superseded) adds to what was there.
    expect(
      await tasks.recordAttemptUsage(failed?.id as string, 1, { inputTokens: 20, outputTokens: 2, costUsd: 0.25 }),
    ).toMatchObject({ status: 'failed', inputTokens: 120, outputTokens: 12, costUsd: 0.75 });
    // The worker that stopped attempt 2 records it again after the upgrade: still counted once.
    expect(
      await tasks.recordAttemptUsage(cancelled?.id as string, 2, { inputTokens: 500, outputTokens: 60, costUsd: 0.2 }),
    ).toMatchObject({ status: 'cancelled', inputTokens: 500, outputTokens: 60, costUsd: 0.2 });
  });
});
