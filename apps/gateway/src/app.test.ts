import { randomBytes, randomUUID } from 'node:crypto';
import {
  PostgresBotRepository,
  PostgresChatMessageRepository,
  PostgresSessionStore,
  PostgresTaskEventRepository,
  PostgresTaskRepository,
  currentSchemaVersion,
  expectedSchemaVersion,
  pingDatabase,
} from '@agent-bot/db';
import { createHealthAggregator, createLogger, createMetrics } from '@agent-bot/observability';
import { BullMqJobQueue, RedisEventBus, RedisWorkerRegistry, assertRedisReachable, createRedis } from '@agent-bot/queue';
import { createTestDatabase, deleteRedisPrefix, TEST_REDIS_URL, type TestDatabase, uniqueRedisPrefix } from '@agent-bot/testing';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from './app.js';
import { gatewayHealthChecks } from './health-checks.js';
import { registerDeploymentMetrics } from './deployment-metrics.js';
import { createReadinessProbe } from './readiness.js';

const ADMIN = 'test-admin-token-0123456789abcdef';
const auth = { authorization: `Bearer ${ADMIN}` };
const prefix = uniqueRedisPrefix('gateway');
const redis = createRedis(TEST_REDIS_URL, 'producer');
let db: TestDatabase;
let app: FastifyInstance;
let queue: BullMqJobQueue;
let workers: RedisWorkerRegistry;
let events: RedisEventBus;

beforeAll(async () => {
  db = await createTestDatabase();
  await assertRedisReachable(redis, TEST_REDIS_URL);
  queue = new BullMqJobQueue({ connection: redis, prefix });
  workers = new RedisWorkerRegistry({ redis, prefix });
  events = new RedisEventBus({ publisher: redis, subscriber: createRedis(TEST_REDIS_URL, 'subscriber'), prefix });
  const metrics = createMetrics({ defaultLabels: { service: 'gateway' } });
  registerDeploymentMetrics(metrics, queue, workers);
  app = await buildApp({
    logger: createLogger({ name: 'gateway', level: 'silent' }),
    metrics,
    health: createHealthAggregator({
      version: '0.0.0-test',
      checks: gatewayHealthChecks({ pingDatabase: () => pingDatabase(db.sql), queue, workers }),
    }),
    readiness: createReadinessProbe({
      databaseSchemaVersion: () => currentSchemaVersion(db.sql),
      expectedSchemaVersion: await expectedSchemaVersion(),
      queue,
    }),
    tasks: new PostgresTaskRepository(db.sql),
    taskEvents: new PostgresTaskEventRepository(db.sql),
    queue,
    workers,
    adminToken: ADMIN,
    publicUrl: 'http://localhost:8080',
    sessions: new PostgresSessionStore(db.sql),
    bots: new PostgresBotRepository(db.sql),
    chat: new PostgresChatMessageRepository(db.sql),
    events,
    botStaleAfterMs: 300_000,
    apiRateLimitPerMinute: 1000,
    corsOrigins: [],
    dashboardDir: '/nonexistent/agent-bot-dashboard',
    cookieSecret: randomBytes(32),
    sessionTtlMs: 3600_000,
  });
});

afterAll(async () => {
  await app?.close();
  await queue?.close();
  await events?.close();
  redis.disconnect();
  await db?.drop();
  await deleteRedisPrefix(prefix);
});

describe('POST /api/tasks', () => {
  it('answers 401 with a JSON error code without a token or with a wrong one, creating nothing', async () => {
    const body = { prompt: 'hello', runner: 'noop' };
    for (const headers of [{}, { authorization: 'Bearer wrong-token' }, { authorization: ADMIN }]) {
      const response = await app.inject({ method: 'POST', url: '/api/tasks', payload: body, headers });
      expect(response.statusCode).toBe(401);
      expect(response.json()).toEqual({ error: { code: 'UNAUTHORIZED', message: expect.any(String) } });
    }
    const [row] = await db.sql<{ n: number }[]>`select count(*)::int as n from tasks`;
    expect(row?.n).toBe(0);
  });

  it('answers 400 with a JSON error code for a bad body', async () => {
    const missing = await app.inject({ method: 'POST', url: '/api/tasks', payload: { runner: 'noop' }, headers: auth });
    expect(missing.statusCode).toBe(400);
    expect(missing.json().error).toMatchObject({
      code: 'VALIDATION_FAILED',
      issues: [expect.objectContaining({ path: 'prompt' })],
    });

    const badEnum = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      payload: { prompt: 'x', priority: 'P9' },
      headers: auth,
    });
    expect(badEnum.statusCode).toBe(400);
    expect(badEnum.json().error.code).toBe('VALIDATION_FAILED');

    const badRepo = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      payload: { prompt: 'x', repo: '../etc' },
      headers: auth,
    });
    expect(badRepo.statusCode).toBe(400);

    const notJson = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      payload: '{not json',
      headers: { ...auth, 'content-type': 'application/json' },
    });
    expect(notJson.statusCode).toBe(400);
    expect(notJson.json().error.code).toEqual(expect.any(String));
  });

  it('answers 400 naming the field for a NUL character, which PostgreSQL text cannot hold (it was a 500)', async () => {
    const inBody = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      payload: { prompt: 'a\u0000b', runner: 'noop', context: { note: 'c\u0000' } },
      headers: auth,
    });
    expect(inBody.statusCode).toBe(400);
    expect(inBody.json().error).toMatchObject({ code: 'VALIDATION_FAILED', issues: [{ path: 'prompt' }] });
    const nested = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      payload: { prompt: 'ab', runner: 'noop', context: { note: 'c\u0000' } },
      headers: auth,
    });
    expect(nested.json().error.issues).toEqual([
      { path: 'context.note', message: 'must not contain the NUL character (U+0000)' },
    ]);
    for (const url of ['/api/tasks?repo=%00', '/api/tasks?bot=a%00', '/api/bots/%00', '/api/bots/A%00/messages']) {
      const response = await app.inject({ method: 'GET', url, headers: auth });
      expect([url, response.statusCode, response.json().error.code]).toEqual([url, 400, 'VALIDATION_FAILED']);
    }
    expect(await db.sql`select 1 from tasks where prompt in ('a', 'ab')`).toHaveLength(0);
  });

  it('answers 404 BOT_NOT_FOUND for a task naming a bot that does not exist, creating nothing', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      payload: { prompt: 'for a missing bot', runner: 'noop', botId: 'NO-SUCH-BOT' },
      headers: auth,
    });
    expect(response.statusCode).toBe(404);
    expect(response.json().error).toEqual({ code: 'BOT_NOT_FOUND', message: 'bot NO-SUCH-BOT not found' });
    expect(await db.sql`select 1 from tasks where prompt = 'for a missing bot'`).toHaveLength(0);
  });

  it('answers 202, stores the task and enqueues its job', async () => {
    const before = await queue.depth();
    const response = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      payload: { prompt: 'say hi', runner: 'noop', priority: 'P1', repo: 'octo/hello' },
      headers: auth,
    });
    expect(response.statusCode).toBe(202);
    const { task, enqueued } = response.json();
    expect(enqueued).toBe(true);
    expect(task).toMatchObject({
      status: 'queued',
      priority: 'P1',
      source: 'api',
      kind: 'answer',
      runner: 'noop',
      repo: 'octo/hello',
    });
    const [row] = await db.sql`select status, priority from tasks where id = ${task.id}`;
    expect(row).toEqual({ status: 'queued', priority: 1 });
    const after = await queue.depth();
    expect(after.prioritized + after.waiting).toBe(before.prioritized + before.waiting + 1);
    // The job id is the task id: enqueueing it again is a no-op.
    expect((await queue.enqueue('task.run', { taskId: task.id }, { jobId: task.id, priority: 'P1' })).deduplicated).toBe(true);
  });
});

describe('GET /api/tasks', () => {
  it('lists with status and repo filters, limit and keyset paging', async () => {
    const repo = `filter/${randomUUID().slice(0, 8)}`;
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const response = await app.inject({ method: 'POST', url: '/api/tasks', payload: { prompt: `p${i}`, repo }, headers: auth });
      ids.push(response.json().task.id);
    }
    await db.sql`update tasks set status = 'failed' where id = ${ids[0] as string}`;

    const all = await app.inject({ method: 'GET', url: `/api/tasks?repo=${repo}`, headers: auth });
    expect(all.json().tasks.map((t: { prompt: string }) => t.prompt)).toEqual(['p2', 'p1', 'p0']);
    const failed = await app.inject({ method: 'GET', url: `/api/tasks?repo=${repo}&status=failed`, headers: auth });
    expect(failed.json().tasks.map((t: { id: string }) => t.id)).toEqual([ids[0]]);
    const page = await app.inject({ method: 'GET', url: `/api/tasks?repo=${repo}&limit=1&before=${ids[2]}`, headers: auth });
    expect(page.json().tasks.map((t: { prompt: string }) => t.prompt)).toEqual(['p1']);

    const badStatus = await app.inject({ method: 'GET', url: '/api/tasks?status=exploded', headers: auth });
    expect(badStatus.statusCode).toBe(400);
    expect((await app.inject({ method: 'GET', url: '/api/tasks' })).statusCode).toBe(401);
  });

  it('answers 404 with a JSON error code for an unknown task', async () => {
    for (const id of [randomUUID(), 'not-a-uuid']) {
      const response = await app.inject({ method: 'GET', url: `/api/tasks/${id}`, headers: auth });
      expect(response.statusCode).toBe(404);
      expect(response.json().error.code).toBe('TASK_NOT_FOUND');
    }
  });

  it('shows a task with its runs, what each spent, by attempt then first recorded (none before it ran)', async () => {
    const created = await app.inject({
      method: 'POST',
      url: '/api/tasks',
      payload: { prompt: 'runs', runner: 'noop' },
      headers: auth,
    });
    const id: string = created.json().task.id;
    const fresh = await app.inject({ method: 'GET', url: `/api/tasks/${id}`, headers: auth });
    expect(fresh.json()).toMatchObject({ task: { id, cost_usd: 0 }, runs: [] });

    const tasks = new PostgresTaskRepository(db.sql);
    const taken = randomUUID();
    const takeover = randomUUID();
    await tasks.markRunning(id, 1);
    await tasks.recordAttemptUsage(id, { attempt: 1, runId: taken }, { inputTokens: 1000, outputTokens: 100, costUsd: 0.25 });
    await tasks.recordAttemptUsage(id, { attempt: 1, runId: takeover }, { inputTokens: 500, outputTokens: 50, costUsd: 0.125 });
    await tasks.markRetrying(id, { attempt: 1, runId: takeover, code: 'X', message: 'x' });
    await tasks.markRunning(id, 2);
    await tasks.markSucceeded(id, {
      attempt: 2,
      runId: 'r2',
      usage: { inputTokens: 10, outputTokens: 1, costUsd: 0.5 },
      result: {},
    });

    const response = await app.inject({ method: 'GET', url: `/api/tasks/${id}`, headers: auth });
    expect(response.statusCode).toBe(200);
    const body = response.json();
    expect(body.task).toMatchObject({ status: 'succeeded', input_tokens: 1510, output_tokens: 151, cost_usd: 0.875 });
    expect(body.runs).toEqual([
      {
        attempt: 1,
        run_id: taken,
        input_tokens: 1000,
        output_tokens: 100,
        cost_usd: 0.25,
        first_recorded_at: expect.any(String),
        recorded_at: expect.any(String),
      },
      {
        attempt: 1,
        run_id: takeover,
        input_tokens: 500,
        output_tokens: 50,
        cost_usd: 0.125,
        first_recorded_at: expect.any(String),
        recorded_at: expect.any(String),
      },
      {
        attempt: 2,
        run_id: 'r2',
        input_tokens: 10,
        output_tokens: 1,
        cost_usd: 0.5,
        first_recorded_at: expect.any(String),
        recorded_at: expect.any(String),
      },
    ]);
    expect(new Date(body.runs[0].first_recorded_at).toISOString()).toBe(body.runs[0].first_recorded_at);
  });
});

describe('health and metrics', () => {
  it('reports database and redis healthy with latencies; degraded while no worker runs', async () => {
    const response = await app.inject({ method: 'GET', url: '/health' });
    const body = response.json();
    expect(body).toMatchObject({
      status: 'degraded',
      version: '0.0.0-test',
      checks: {
        database: { healthy: true, latency_ms: expect.any(Number), schema_version: await expectedSchemaVersion() },
        redis: { healthy: true, latency_ms: expect.any(Number) },
        queue: { healthy: true, depth: expect.objectContaining({ waiting: expect.any(Number), active: 0 }) },
        workers: { healthy: false },
      },
    });
    expect(response.statusCode).toBe(200);
    expect(new Date(body.timestamp).toISOString()).toBe(body.timestamp);
    expect(body.uptime_seconds).toEqual(expect.any(Number));
  });

  it('is healthy once a worker has sent a heartbeat', async () => {
    const now = new Date().toISOString();
    await workers.heartbeat({ id: 'w1', hostname: 'h', pid: 1, concurrency: 2, active: 1, startedAt: now, lastSeenAt: now });
    const body = (await app.inject({ method: 'GET', url: '/health' })).json();
    expect(body.status).toBe('healthy');
    expect(body.checks.workers).toMatchObject({ healthy: true, count: 1, active_jobs: 1 });
    await workers.remove('w1');
  });

  it('is live and ready', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'alive' });
    const ready = await app.inject({ method: 'GET', url: '/health/ready' });
    expect(ready.statusCode).toBe(200);
    expect(ready.json()).toEqual({ status: 'ready' });
  });

  it('is not ready when the schema is behind this build', async () => {
    const [latest] = await db.sql`delete from schema_migrations where version = ${await expectedSchemaVersion()} returning *`;
    try {
      const ready = await app.inject({ method: 'GET', url: '/health/ready' });
      expect(ready.statusCode).toBe(503);
      expect(ready.json().problems).toEqual([expect.stringMatching(/^schema: database is at version \d+, this build needs/)]);
    } finally {
      await db.sql`insert into schema_migrations ${db.sql(latest as Record<string, unknown>)}`;
    }
    expect((await app.inject({ method: 'GET', url: '/health/ready' })).statusCode).toBe(200);
  });

  it('exposes agentbot_* series, queue depth by state and process metrics', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/plain/);
    const text = response.body;
    expect(text).toMatch(/^agentbot_tasks_created_total\{source="api",kind="answer",service="gateway"\} \d+/m);
    for (const state of ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed']) {
      expect(text).toMatch(new RegExp(`^agentbot_queue_jobs\\{state="${state}",service="gateway"\\} \\d+`, 'm'));
    }
    expect(text).toMatch(/^agentbot_queue_jobs\{state="prioritized",service="gateway"\} [1-9]/m);
    expect(text).toMatch(/^agentbot_workers_alive\{service="gateway"\} 0/m);
    expect(text).toContain('process_resident_memory_bytes');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });
});
