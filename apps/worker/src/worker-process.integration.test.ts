import { fileURLToPath } from 'node:url';
import { taskRequestSchema } from '@agent-bot/contracts';
import { PostgresTaskEventRepository, PostgresTaskRepository } from '@agent-bot/db';
import { assertRedisReachable, BullMqJobQueue, createRedis } from '@agent-bot/queue';
import {
  createTestDatabase,
  deleteRedisPrefix,
  freePort,
  type SourceProcess,
  spawnSource,
  TEST_REDIS_URL,
  type TestDatabase,
  uniqueRedisPrefix,
  waitFor,
} from '@agent-bot/testing';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';

const entry = fileURLToPath(new URL('./test-support/sleep-worker.ts', import.meta.url));
const prefix = uniqueRedisPrefix('shutdown');
const redis = createRedis(TEST_REDIS_URL, 'producer');
let db: TestDatabase;
let tasks: PostgresTaskRepository;
let queue: BullMqJobQueue;
const workers: SourceProcess[] = [];

beforeAll(async () => {
  db = await createTestDatabase();
  tasks = new PostgresTaskRepository(db.sql);
  await assertRedisReachable(redis, TEST_REDIS_URL);
  queue = new BullMqJobQueue({ connection: redis, prefix });
});
afterEach(() => {
  for (const worker of workers.splice(0)) worker.kill();
});
afterAll(async () => {
  await queue.close();
  redis.disconnect();
  await db.drop();
  await deleteRedisPrefix(prefix);
});

async function startWorker(options: { drainSeconds: number; mode: 'slow' | 'fast' }): Promise<SourceProcess> {
  const worker = spawnSource(entry, {
    args: [options.mode],
    env: {
      DATABASE_URL: db.url,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_PREFIX: prefix,
      PORT: String(await freePort()),
      WORKER_PORT: String(await freePort()),
      HOST: '127.0.0.1',
      WORKER_DRAIN_SECONDS: String(options.drainSeconds),
      WORKER_LOCK_DURATION_MS: '1000',
      WORKER_STALLED_INTERVAL_MS: '500',
      WORKER_CONCURRENCY: '1',
      LOG_LEVEL: 'info',
    },
  });
  workers.push(worker);
  await worker.waitForOutput(/taking jobs/);
  return worker;
}

async function enqueueSleep(ms: number) {
  const task = await tasks.create(
    taskRequestSchema.parse({ kind: 'noop', priority: 'P2', source: 'api', prompt: `sleep:${ms}` }),
  );
  await queue.enqueue('task.run', { taskId: task.id }, { jobId: task.id, priority: 'P2' });
  return task.id;
}

/** Open connections of worker processes to this test's database. */
async function workerConnections(): Promise<number> {
  const [row] = await db.sql<{ n: number }[]>`
    select count(*)::int as n from pg_stat_activity
    where datname = ${db.name} and application_name = 'agent-bot-worker' and pid <> pg_backend_pid()`;
  return row?.n ?? 0;
}

/**
 * The task's log once its last line is written: the row turns succeeded just before the worker
 * appends `succeeded`, so reading right after the row changed can miss that line.
 */
function finalLog(taskId: string): Promise<string[]> {
  return waitFor('the task log to end', async () => {
    const kinds = (await new PostgresTaskEventRepository(db.sql).list(taskId)).map((e) => e.kind);
    return kinds.at(-1) === 'succeeded' ? kinds : null;
  });
}

describe('worker graceful shutdown (spawned process)', () => {
  it('on SIGTERM finishes the running job within the drain deadline, closes connections and exits 0', async () => {
    const worker = await startWorker({ drainSeconds: 10, mode: 'slow' });
    const taskId = await enqueueSleep(1500);
    await waitFor('the task to start', async () => (await tasks.get(taskId))?.status === 'running');
    expect(await workerConnections()).toBeGreaterThan(0);

    worker.child.kill('SIGTERM');
    expect(await worker.exited).toEqual({ code: 0, signal: null });
    expect(await tasks.get(taskId)).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(worker.output()).toMatch(/"msg":"draining"/);
    expect(worker.output()).toMatch(/"drained":true,"msg":"worker stopped"/);
    await waitFor('its PostgreSQL connections to close', async () => (await workerConnections()) === 0);
    expect(await redis.hlen(`${prefix}:workers`)).toBe(0);
  });

  it('past the drain deadline abandons the job, exits 0, and another worker completes it', async () => {
    const first = await startWorker({ drainSeconds: 1, mode: 'slow' });
    const taskId = await enqueueSleep(60_000);
    // Signalled once the agent is running (its log line written), not merely once the row says
    // running: on a loaded machine the signal could otherwise land before the agent's first event.
    await waitFor('the agent to start', async () =>
      (await new PostgresTaskEventRepository(db.sql).list(taskId)).some((e) => e.kind === 'agent.log'),
    );

    const signalledAt = performance.now();
    first.child.kill('SIGTERM');
    expect(await first.exited).toEqual({ code: 0, signal: null });
    expect(performance.now() - signalledAt).toBeLessThan(8000);
    expect(first.output()).toMatch(/"drained":false,"msg":"worker stopped"/);
    expect((await tasks.get(taskId))?.status).toBe('running');

    await startWorker({ drainSeconds: 10, mode: 'fast' });
    await waitFor('another worker to complete the task', async () => (await tasks.get(taskId))?.status === 'succeeded', {
      timeoutMs: 15_000,
    });
    const kinds = await finalLog(taskId);
    expect(kinds).toEqual(['started', 'agent.log', 'abandoned', 'started', 'agent.log', 'publishing', 'succeeded']);
    // Abandoning did not spend an attempt.
    expect(await tasks.get(taskId)).toMatchObject({ attempts: 1 });
  });

  it('after SIGKILL mid-task, the next worker takes the stalled job over and completes the task', async () => {
    const doomed = await startWorker({ drainSeconds: 10, mode: 'slow' });
    const taskId = await enqueueSleep(60_000);
    // Killed once the agent is running (its log line written), not merely once the row says running.
    await waitFor('the agent to start', async () =>
      (await new PostgresTaskEventRepository(db.sql).list(taskId)).some((e) => e.kind === 'agent.log'),
    );
    doomed.child.kill('SIGKILL');
    expect(await doomed.exited).toEqual({ code: null, signal: 'SIGKILL' });

    const next = await startWorker({ drainSeconds: 10, mode: 'fast' });
    await waitFor('the next worker to complete the task', async () => (await tasks.get(taskId))?.status === 'succeeded', {
      timeoutMs: 15_000,
    });
    await next.waitForOutput(/job stalled/);
    const kinds = await finalLog(taskId);
    expect(kinds).toEqual(['started', 'agent.log', 'started', 'agent.log', 'publishing', 'succeeded']);
  });
});
