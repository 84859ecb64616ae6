import { fileURLToPath } from 'node:url';
import { createSql, ensureDatabase, migrate } from '@agent-bot/db';
import {
  freePort,
  type PostgresServer,
  type RedisServer,
  type SourceProcess,
  spawnSource,
  startPostgresServer,
  startRedisServer,
  TEST_POSTGRES_ADMIN_URL,
  uniqueRedisPrefix,
  waitFor,
} from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const gatewayMain = fileURLToPath(new URL('./main.ts', import.meta.url));
const workerMain = fileURLToPath(new URL('../../worker/src/main.ts', import.meta.url));
const ADMIN = 'outage-admin-token-0123456789abcdef';

async function getJson(url: string, init?: RequestInit): Promise<{ status: number; body: Record<string, unknown> }> {
  const response = await fetch(url, { ...init, signal: AbortSignal.timeout(5000) });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

describe('gateway main: startup failures', () => {
  it('exits non-zero listing every bad variable by name', async () => {
    const gateway = spawnSource(gatewayMain, { env: { REDIS_URL: 'nonsense', PORT: 'abc' } });
    const { code } = await gateway.exited;
    expect(code).not.toBe(0);
    expect(gateway.stderr()).toMatch(/REDIS_URL: must be a URL starting with redis:\/\//);
    expect(gateway.stderr()).toMatch(/PORT: must be a port number/);
    expect(gateway.stderr()).not.toMatch(/at .*\.ts:\d+/);
  });

  it('names the PostgreSQL URL it cannot reach and how to start one', async () => {
    const closedPort = await freePort();
    const gateway = spawnSource(gatewayMain, {
      env: { DATABASE_URL: `postgres://postgres@127.0.0.1:${closedPort}/agentbot`, PORT: String(await freePort()) },
    });
    const { code } = await gateway.exited;
    expect(code).toBe(1);
    expect(gateway.stderr()).toContain(`PostgreSQL is not reachable at 127.0.0.1:${closedPort}/agentbot`);
    expect(gateway.stderr()).toContain('DATABASE_URL');
  });

  it('names the Redis URL it cannot reach and how to start one', async () => {
    const closedPort = await freePort();
    const gateway = spawnSource(gatewayMain, {
      env: {
        DATABASE_URL: TEST_POSTGRES_ADMIN_URL,
        REDIS_URL: `redis://127.0.0.1:${closedPort}`,
        PORT: String(await freePort()),
      },
    });
    const { code } = await gateway.exited;
    expect(code).toBe(1);
    expect(gateway.stderr()).toContain(`Redis is not reachable at 127.0.0.1:${closedPort}`);
    expect(gateway.stderr()).toContain('REDIS_URL');
  });

  it('refuses a Redis that may evict keys', async () => {
    const redis = await startRedisServer({ extraArgs: ['--maxmemory-policy', 'allkeys-lru'] });
    try {
      const gateway = spawnSource(gatewayMain, {
        env: { DATABASE_URL: TEST_POSTGRES_ADMIN_URL, REDIS_URL: redis.url, PORT: String(await freePort()) },
      });
      expect((await gateway.exited).code).toBe(1);
      expect(gateway.stderr()).toMatch(/maxmemory-policy is "allkeys-lru"/);
    } finally {
      await redis.stop();
    }
  });
});

describe('dependency outages (own Redis and PostgreSQL)', () => {
  let pg: PostgresServer;
  let redis: RedisServer;
  let gateway: SourceProcess;
  let worker: SourceProcess;
  let base: string;
  let workerBase: string;

  beforeAll(async () => {
    [pg, redis] = await Promise.all([startPostgresServer(), startRedisServer()]);
    const databaseUrl = pg.adminUrl.replace(/\/postgres$/, '/agentbot');
    await ensureDatabase(databaseUrl);
    const sql = createSql({ url: databaseUrl, poolSize: 1 });
    await migrate(sql);
    await sql.end();
    const [port, workerPort, gatewayWorkerPort] = [await freePort(), await freePort(), await freePort()];
    const env = {
      DATABASE_URL: databaseUrl,
      REDIS_URL: redis.url,
      REDIS_PREFIX: uniqueRedisPrefix('outage'),
      ADMIN_TOKEN: ADMIN,
      HOST: '127.0.0.1',
      LOG_LEVEL: 'warn',
    };
    gateway = spawnSource(gatewayMain, { env: { ...env, PORT: String(port), WORKER_PORT: String(gatewayWorkerPort) } });
    worker = spawnSource(workerMain, { env: { ...env, PORT: String(port), WORKER_PORT: String(workerPort) } });
    base = `http://127.0.0.1:${port}`;
    workerBase = `http://127.0.0.1:${workerPort}`;
    await waitFor(
      'gateway and worker to be ready',
      async () => {
        const [g, w] = await Promise.all([getJson(`${base}/health/ready`), getJson(`${workerBase}/health/ready`)]);
        return g.status === 200 && w.status === 200;
      },
      { timeoutMs: 30_000 },
    ).catch((error) => {
      throw new Error(`${error.message}\n--- gateway ---\n${gateway.output()}\n--- worker ---\n${worker.output()}`);
    });
  });

  afterAll(async () => {
    gateway?.kill();
    worker?.kill();
    await redis?.stop();
    await pg?.destroy();
  });

  async function expectStillUp() {
    expect(gateway.child.exitCode).toBeNull();
    expect(worker.child.exitCode).toBeNull();
    expect((await getJson(`${base}/health/live`)).status).toBe(200);
    expect((await getJson(`${workerBase}/health/live`)).status).toBe(200);
  }

  async function runTaskEndToEnd(): Promise<void> {
    const created = await getJson(`${base}/api/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'after the outage', runner: 'noop' }),
    });
    expect(created.status).toBe(202);
    const id = (created.body.task as { id: string }).id;
    await waitFor(
      'the worker to complete the task',
      async () => {
        const { body } = await getJson(`${base}/api/tasks/${id}`, { headers: { authorization: `Bearer ${ADMIN}` } });
        return (body.task as { status: string }).status === 'succeeded';
      },
      { timeoutMs: 15_000 },
    );
  }

  it('Redis down: 503 naming redis within two seconds, processes stay up, and recover', async () => {
    await redis.stop();
    const stoppedAt = performance.now();
    const notReady = await waitFor(
      'readiness to fail',
      async () => {
        const ready = await getJson(`${base}/health/ready`);
        return ready.status === 503 ? ready : undefined;
      },
      { intervalMs: 100 },
    );
    expect(performance.now() - stoppedAt).toBeLessThan(2500);
    expect(notReady.body.problems).toEqual([expect.stringMatching(/^redis: /)]);

    const health = await getJson(`${base}/health`);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({
      status: 'unhealthy',
      checks: { redis: { healthy: false }, database: { healthy: true } },
    });
    await waitFor('the worker to report redis', async () => (await getJson(`${workerBase}/health/ready`)).status === 503);
    await expectStillUp();

    // A task is still accepted and stored; the producer fails fast instead of hanging the request.
    const postedAt = performance.now();
    const accepted = await getJson(`${base}/api/tasks`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ prompt: 'during the outage', runner: 'noop' }),
    });
    expect(performance.now() - postedAt).toBeLessThan(1500);
    expect(accepted.status).toBe(202);
    expect(accepted.body).toMatchObject({ enqueued: false, task: { status: 'queued' } });

    await redis.start();
    await waitFor('gateway readiness to recover', async () => (await getJson(`${base}/health/ready`)).status === 200, {
      timeoutMs: 15_000,
    });
    await waitFor('worker readiness to recover', async () => (await getJson(`${workerBase}/health/ready`)).status === 200, {
      timeoutMs: 15_000,
    });
    expect((await getJson(`${base}/health`)).body).toMatchObject({ checks: { redis: { healthy: true } } });
    await runTaskEndToEnd();
  });

  it('PostgreSQL down: 503 naming the database within two seconds, processes stay up, and recover', async () => {
    await pg.stop();
    const stoppedAt = performance.now();
    const notReady = await waitFor(
      'readiness to fail',
      async () => {
        const ready = await getJson(`${base}/health/ready`);
        return ready.status === 503 ? ready : undefined;
      },
      { intervalMs: 100 },
    );
    expect(performance.now() - stoppedAt).toBeLessThan(2500);
    expect(notReady.body.problems).toEqual([expect.stringMatching(/^database: /)]);

    const health = await getJson(`${base}/health`);
    expect(health.status).toBe(503);
    expect(health.body).toMatchObject({
      status: 'unhealthy',
      checks: { database: { healthy: false }, redis: { healthy: true } },
    });
    await waitFor('the worker to report the database', async () => (await getJson(`${workerBase}/health/ready`)).status === 503);
    await expectStillUp();

    await pg.start();
    await waitFor('gateway readiness to recover', async () => (await getJson(`${base}/health/ready`)).status === 200, {
      timeoutMs: 15_000,
    });
    await waitFor('worker readiness to recover', async () => (await getJson(`${workerBase}/health/ready`)).status === 200, {
      timeoutMs: 15_000,
    });
    await runTaskEndToEnd();
  });

  it('shuts down cleanly on SIGTERM', async () => {
    gateway.child.kill('SIGTERM');
    worker.child.kill('SIGTERM');
    expect(await gateway.exited).toEqual({ code: 0, signal: null });
    expect(await worker.exited).toEqual({ code: 0, signal: null });
  });
});
