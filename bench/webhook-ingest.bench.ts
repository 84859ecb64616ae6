/**
 * Webhook ingest throughput: signed GitHub issue_comment deliveries (about 7 KB, each with its own
 * X-GitHub-Delivery, each a trigger) through verify + store + create task + enqueue, against a bare
 * Fastify route on the same machine in the same run. autocannon, 50 connections, bounded duration.
 * A third route posts the same comment without the bot's handle: verify + store alone (stored as
 * ignored, no task, no job), the floor any design that writes the delivery before answering pays.
 *
 *   npx tsx --conditions=@agent-bot/source bench/webhook-ingest.bench.ts
 *
 * Target: at least half of bare Fastify's req/s, p99 under 25 ms.
 */
import { createHmac, randomBytes, randomUUID } from 'node:crypto';
import type { JobQueue } from '@agent-bot/contracts';
import {
  PostgresBotRepository,
  PostgresChatMessageRepository,
  PostgresDeliveryRepository,
  PostgresInstallationRepository,
  PostgresSessionStore,
  PostgresTaskEventRepository,
  PostgresTaskQueueLedger,
  PostgresTaskRepository,
  createSql,
} from '@agent-bot/db';
import { createHealthAggregator, createLogger, createMetrics } from '@agent-bot/observability';
import { BullMqJobQueue, RedisEventBus, RedisWorkerRegistry, createRedis } from '@agent-bot/queue';
import { TEST_REDIS_URL, createTestDatabase, deleteRedisPrefix, freePort, uniqueRedisPrefix } from '@agent-bot/testing';
import autocannon from 'autocannon';
import { type CpuSample, cpuPerOperation, sampleCpu } from './support/process-cpu.js';
import Fastify from 'fastify';
import { buildApp } from '../apps/gateway/src/app.js';
import { UnconfiguredRepositoryPermissions } from '../apps/gateway/src/providers/github/unconfigured-permissions.js';

function flag(name: string, fallback: number): number {
  const value = process.argv.find((arg) => arg.startsWith(`--${name}=`))?.slice(name.length + 3);
  return value === undefined ? fallback : Number(value);
}
/** `--connections=N` and `--seconds=N` override the defaults (50 connections, 5 s per measurement). */
const CONNECTIONS = flag('connections', 50);
const DURATION_SECONDS = flag('seconds', 5);
/** `--rounds=N`: measurements of each route, alternating (default 2). */
const ROUNDS = flag('rounds', 2);
const SECRET = 'bench-webhook-secret';

/** `mention` false: the same comment without the bot's handle, stored as ignored (no task, no job). */
function payload(mention = true): string {
  const filler = 'The flaky test fails about one run in ten when the cache is cold. '.repeat(90);
  return JSON.stringify({
    action: 'created',
    installation: { id: 1 },
    repository: { full_name: 'octo/widgets', private: false, html_url: 'https://github.com/octo/widgets' },
    sender: { login: 'mia', type: 'User' },
    issue: {
      number: 12,
      title: 'Flaky test',
      body: filler,
      labels: [{ name: 'priority:p1' }],
      html_url: 'https://github.com/octo/widgets/issues/12',
    },
    comment: {
      id: 9001,
      body: `${mention ? '@agent-bot' : 'Someone'} fix the flaky test please`,
      user: { login: 'mia', type: 'User' },
      author_association: 'OWNER',
      html_url: 'https://github.com/octo/widgets/issues/12#issuecomment-9001',
    },
  });
}

interface Figures {
  /** CPU µs per request: this process (server + load generator), PostgreSQL, Redis. */
  cpu: CpuSample;
  requests: number;
  rps: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
}

async function measure(url: string, body: string, headers: Record<string, string>, seconds: number): Promise<Figures> {
  const cpuBefore = sampleCpu();
  const result = await autocannon({
    url,
    connections: CONNECTIONS,
    duration: seconds,
    requests: [
      {
        method: 'POST',
        body,
        headers,
        // A fresh delivery id per request: every request is a new delivery, never a cheap duplicate.
        setupRequest: (request: autocannon.Request) => ({
          ...request,
          headers: { ...request.headers, 'x-github-delivery': randomUUID() },
        }),
      },
    ],
  });
  return {
    cpu: cpuPerOperation(cpuBefore, sampleCpu(), result.requests.total),
    requests: result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  };
}

async function main(): Promise<void> {
  const db = await createTestDatabase();
  // The same two pools main.ts builds (default DATABASE_POOL_SIZE 10 each).
  const sql = createSql({ url: db.url, poolSize: 10, applicationName: 'bench-gateway' });
  const relaxedSql = createSql({ url: db.url, poolSize: 10, applicationName: 'bench-gateway-relaxed', synchronousCommit: false });
  const redis = createRedis(TEST_REDIS_URL, 'producer');
  await new Promise<void>((resolve) => (redis.status === 'ready' ? resolve() : redis.once('ready', () => resolve())));
  const prefix = uniqueRedisPrefix('bench');
  const queue = new BullMqJobQueue({ connection: redis, prefix });
  const events = new RedisEventBus({ publisher: redis, subscriber: createRedis(TEST_REDIS_URL, 'subscriber'), prefix });
  const logger = createLogger({ name: 'bench', level: 'silent' });
  const metrics = createMetrics({ collectProcessMetrics: false });

  const gateway = await buildApp({
    logger,
    metrics,
    health: createHealthAggregator({ version: 'bench', checks: [] }),
    readiness: { problems: async () => [] },
    tasks: new PostgresTaskRepository(sql),
    taskEvents: new PostgresTaskEventRepository(sql),
    queue: queue as JobQueue,
    workers: new RedisWorkerRegistry({ redis, prefix }),
    adminToken: undefined,
    publicUrl: 'http://localhost',
    // Sign-in, bots and chat are not on the measured path; they get real adapters all the same.
    sessions: new PostgresSessionStore(sql),
    cookieSecret: randomBytes(32),
    sessionTtlMs: 3600_000,
    bots: new PostgresBotRepository(sql),
    chat: new PostgresChatMessageRepository(sql),
    events,
    botStaleAfterMs: 300_000,
    apiRateLimitPerMinute: 1000,
    corsOrigins: [],
    dashboardDir: '/nonexistent/agent-bot-dashboard',
    ingestion: {
      deliveries: new PostgresDeliveryRepository(sql, { relaxedSql }),
      installations: new PostgresInstallationRepository(sql),
      taskLedger: new PostgresTaskQueueLedger(sql),
      permissions: new UnconfiguredRepositoryPermissions(),
      botHandle: 'agent-bot',
      botLabel: 'agent-bot',
      secrets: { github: SECRET },
    },
  });
  const bare = Fastify({ logger: false });
  bare.post('/webhooks/github', async () => ({ ok: true }));

  const [gatewayPort, barePort] = [await freePort(), await freePort()];
  await gateway.listen({ port: gatewayPort, host: '127.0.0.1' });
  await bare.listen({ port: barePort, host: '127.0.0.1' });

  const signed = (body: string) => ({
    body,
    headers: {
      'content-type': 'application/json',
      'x-github-event': 'issue_comment',
      'x-hub-signature-256': `sha256=${createHmac('sha256', SECRET).update(body).digest('hex')}`,
    },
  });
  const trigger = signed(payload(true));
  // The store alone: the same path, a comment that does not mention the bot (stored ignored).
  const plain = signed(payload(false));
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}/webhooks/github`;
  const bareUrl = `http://127.0.0.1:${barePort}/webhooks/github`;

  try {
    // Warm both (JIT, connection pools), then measure each for the same bounded time.
    await measure(bareUrl, trigger.body, trigger.headers, 1);
    await measure(gatewayUrl, trigger.body, trigger.headers, 1);
    // Alternate the routes so a change in machine load hits all alike.
    const rounds: Array<{ baseline: Figures; ingest: Figures; storeOnly: Figures }> = [];
    for (let round = 0; round < ROUNDS; round += 1) {
      rounds.push({
        baseline: await measure(bareUrl, trigger.body, trigger.headers, DURATION_SECONDS),
        ingest: await measure(gatewayUrl, trigger.body, trigger.headers, DURATION_SECONDS),
        storeOnly: await measure(gatewayUrl, plain.body, plain.headers, DURATION_SECONDS),
      });
    }

    const [stored] = await sql<[{ deliveries: number; tasks: number; enqueued: number }]>`
      select (select count(*)::int from deliveries) as deliveries, (select count(*)::int from tasks) as tasks,
             (select count(*)::int from deliveries where status = 'enqueued') as enqueued`;
    const row = (name: string, f: Figures) =>
      `${name.padEnd(34)} ${f.rps.toFixed(0).padStart(8)} ${f.p50.toFixed(1).padStart(8)} ${f.p99.toFixed(1).padStart(8)} ${String(f.non2xx + f.errors).padStart(8)}   ${[f.cpu.self, f.cpu.postgres, f.cpu.redis].map((v) => v.toFixed(0).padStart(5)).join(' ')}`;
    console.log(
      `\nwebhook ingest: ${(trigger.body.length / 1024).toFixed(1)} KB signed issue_comment, ${CONNECTIONS} connections, ${DURATION_SECONDS} s each, ${ROUNDS} rounds`,
    );
    console.log(
      `${'route'.padEnd(34)} ${'req/s'.padStart(8)} ${'p50 ms'.padStart(8)} ${'p99 ms'.padStart(8)} ${'non-2xx'.padStart(8)}   CPU µs/request: node (server+autocannon) postgres redis`,
    );
    rounds.forEach(({ baseline, ingest, storeOnly }, index) => {
      console.log(row(`bare Fastify (baseline), round ${index + 1}`, baseline));
      console.log(row(`verify+store+task+enqueue, round ${index + 1}`, ingest));
      console.log(row(`verify+store (ignored), round ${index + 1}`, storeOnly));
    });
    const mean = (values: number[]) => values.reduce((sum, value) => sum + value, 0) / values.length;
    const ratio = mean(rounds.map((r) => r.ingest.rps)) / mean(rounds.map((r) => r.baseline.rps));
    const p99 = Math.max(...rounds.map((r) => r.ingest.p99));
    console.log(`ratio ${ratio.toFixed(2)} of bare Fastify req/s (target >= 0.50); worst ingest p99 ${p99} ms (target < 25 ms)`);
    const storeRatio = mean(rounds.map((r) => r.storeOnly.rps)) / mean(rounds.map((r) => r.baseline.rps));
    console.log(`store alone (no task, no job): ${storeRatio.toFixed(2)} of bare Fastify req/s`);
    console.log(`stored ${stored.deliveries} deliveries, ${stored.tasks} tasks, ${stored.enqueued} enqueued`);
    const failed = rounds.reduce(
      (sum, r) => sum + r.ingest.non2xx + r.ingest.errors + r.storeOnly.non2xx + r.storeOnly.errors,
      0,
    );
    if (failed > 0) console.log(`WARNING: ${failed} ingest requests failed`);
  } finally {
    await gateway.close();
    await bare.close();
    await queue.close();
    await events.close();
    redis.disconnect();
    await relaxedSql.end({ timeout: 5 });
    await sql.end({ timeout: 5 });
    await deleteRedisPrefix(prefix);
    await db.drop();
  }
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
