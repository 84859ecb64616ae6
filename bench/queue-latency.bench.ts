/**
 * Queue overhead: how long from enqueue until a worker's handler starts (p50/p99, one job at a
 * time on an idle queue), and how many no-op jobs per second flow through, for agent-bot's BullMQ
 * adapter (BullMqJobQueue -> BullMqJobConsumer, the path every task takes) beside raw Redis lists
 * (LPUSH/BRPOP) and sorted sets (ZADD/BZPOPMIN) measured in the same run on the same Redis.
 *
 * Uses REDIS_URL (default redis://127.0.0.1:6379) under a prefix of its own, deleted afterwards.
 * Bounded: every phase stops at its sample count or its time budget, whichever comes first.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { loadConfig } from '@agent-bot/config';
import { assertRedisReachable, BullMqJobConsumer, BullMqJobQueue, createRedis } from '@agent-bot/queue';
import { deleteRedisPrefix } from '@agent-bot/testing';
import type { Redis } from 'ioredis';

const LATENCY_SAMPLES = 400;
const WARMUP = 50;
const THROUGHPUT_JOBS = 3000;
const PRODUCER_CONCURRENCY = 50;
const CONSUMER_CONCURRENCY = 8;
const PHASE_BUDGET_MS = 20_000;

const redisUrl = loadConfig().redis.url;
const prefix = `bench-${randomBytes(4).toString('hex')}`;
const clients: Redis[] = [];
function client(role: 'producer' | 'consumer'): Redis {
  const redis = createRedis(redisUrl, role);
  clients.push(redis);
  return redis;
}

function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return Number.NaN;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number;
}

interface LatencyResult {
  p50: number;
  p99: number;
  n: number;
}
interface ThroughputResult {
  perSecond: number;
  n: number;
}

function summarise(samples: number[]): LatencyResult {
  const sorted = samples.slice(WARMUP).sort((a, b) => a - b);
  return { p50: percentile(sorted, 50), p99: percentile(sorted, 99), n: sorted.length };
}

/** A one-shot signal the consumer side resolves when a given item starts. */
function startSignals() {
  const waiting = new Map<string, (at: number) => void>();
  return {
    expect(id: string) {
      return new Promise<number>((resolve) => waiting.set(id, resolve));
    },
    started(id: string) {
      const at = performance.now();
      waiting.get(id)?.(at);
      waiting.delete(id);
    },
  };
}

async function bullmqLatency(): Promise<LatencyResult> {
  const queueName = 'latency';
  const signals = startSignals();
  const queue = new BullMqJobQueue({ connection: client('producer'), prefix, queueName, keepCompletedSeconds: 60 });
  const consumer = new BullMqJobConsumer({
    connection: client('consumer'),
    prefix,
    queueName,
    concurrency: 1,
    // Only task.run is measured; the catalog's other jobs need a handler all the same.
    handlers: { 'chat.reply': async () => {}, 'task.run': async (payload) => signals.started(payload.taskId) },
  });
  await consumer.ready();
  const samples: number[] = [];
  const deadline = Date.now() + PHASE_BUDGET_MS;
  for (let i = 0; i < LATENCY_SAMPLES + WARMUP && Date.now() < deadline; i++) {
    const taskId = randomUUID();
    const started = signals.expect(taskId);
    const before = performance.now();
    await queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' });
    samples.push((await started) - before);
  }
  await consumer.close(5000);
  await queue.close();
  return summarise(samples);
}

async function rawLatency(kind: 'list' | 'zset'): Promise<LatencyResult> {
  const key = `${prefix}:raw-${kind}`;
  const producer = client('producer');
  const blocking = client('consumer');
  await assertRedisReachable(producer, redisUrl);
  const signals = startSignals();
  let running = true;
  const loop = (async () => {
    while (running) {
      const reply = kind === 'list' ? await blocking.brpop(key, 1) : await blocking.bzpopmin(key, 1);
      if (reply) signals.started(reply[1] as string);
    }
  })();
  const samples: number[] = [];
  const deadline = Date.now() + PHASE_BUDGET_MS;
  for (let i = 0; i < LATENCY_SAMPLES + WARMUP && Date.now() < deadline; i++) {
    const id = randomUUID();
    const started = signals.expect(id);
    const before = performance.now();
    if (kind === 'list') await producer.lpush(key, id);
    else await producer.zadd(key, 3, id);
    samples.push((await started) - before);
  }
  running = false;
  await loop;
  return summarise(samples);
}

async function runWithConcurrency(total: number, concurrency: number, task: (i: number) => Promise<unknown>, deadline: number) {
  let next = 0;
  await Promise.all(
    Array.from({ length: concurrency }, async () => {
      while (next < total && Date.now() < deadline) await task(next++);
    }),
  );
  return next;
}

async function bullmqThroughput(): Promise<ThroughputResult> {
  const queueName = 'throughput';
  const queue = new BullMqJobQueue({ connection: client('producer'), prefix, queueName, keepCompletedSeconds: 60 });
  let done = 0;
  let allDone: () => void = () => {};
  const finished = new Promise<void>((resolve) => {
    allDone = resolve;
  });
  let target = THROUGHPUT_JOBS;
  const consumer = new BullMqJobConsumer({
    connection: client('consumer'),
    prefix,
    queueName,
    concurrency: CONSUMER_CONCURRENCY,
    handlers: {
      // Only task.run is measured; the catalog's other jobs need a handler all the same.
      'chat.reply': async () => {},
      'task.run': async () => {
        if (++done >= target) allDone();
      },
    },
  });
  await consumer.ready();
  const started = performance.now();
  const deadline = Date.now() + PHASE_BUDGET_MS;
  target = await runWithConcurrency(
    THROUGHPUT_JOBS,
    PRODUCER_CONCURRENCY,
    () => {
      const taskId = randomUUID();
      return queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P2' });
    },
    deadline,
  );
  if (done >= target) allDone();
  await Promise.race([finished, new Promise((resolve) => setTimeout(resolve, Math.max(0, deadline - Date.now())))]);
  const seconds = (performance.now() - started) / 1000;
  await consumer.close(5000);
  await queue.close();
  return { perSecond: done / seconds, n: done };
}

async function rawThroughput(kind: 'list' | 'zset'): Promise<ThroughputResult> {
  const key = `${prefix}:raw-throughput-${kind}`;
  const producer = client('producer');
  const blocking = client('consumer');
  await assertRedisReachable(producer, redisUrl);
  let done = 0;
  let target = THROUGHPUT_JOBS;
  const deadline = Date.now() + PHASE_BUDGET_MS;
  const started = performance.now();
  const loop = (async () => {
    while (done < target && Date.now() < deadline) {
      const reply = kind === 'list' ? await blocking.brpop(key, 1) : await blocking.bzpopmin(key, 1);
      if (reply) done++;
    }
  })();
  target = await runWithConcurrency(
    THROUGHPUT_JOBS,
    PRODUCER_CONCURRENCY,
    (i) => (kind === 'list' ? producer.lpush(key, String(i)) : producer.zadd(key, 3, String(i))),
    deadline,
  );
  await loop;
  return { perSecond: done / ((performance.now() - started) / 1000), n: done };
}

function row(cells: string[], widths: number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i] ?? 0) : cell.padStart(widths[i] ?? 0))).join('  ');
}

async function main(): Promise<void> {
  const probe = client('producer');
  await assertRedisReachable(probe, redisUrl);
  const info = await probe.info('server');
  const redisVersion = /redis_version:(\S+)/.exec(info)?.[1] ?? '?';
  console.log(`Redis ${redisVersion} at ${new URL(redisUrl).host}, prefix ${prefix}, Node ${process.version}`);

  const latency = {
    bullmq: await bullmqLatency(),
    list: await rawLatency('list'),
    zset: await rawLatency('zset'),
  };
  const throughput = {
    bullmq: await bullmqThroughput(),
    list: await rawThroughput('list'),
    zset: await rawThroughput('zset'),
  };

  const ms = (value: number) => value.toFixed(2);
  const ratio = (value: number, base: number) => `${(value / base).toFixed(1)}x`;
  const widths = [34, 9, 9, 12, 12];
  console.log(
    `\nEnqueue -> handler start, one job at a time on an idle queue (${latency.bullmq.n} samples after ${WARMUP} warm-up)`,
  );
  console.log(row(['', 'p50 ms', 'p99 ms', 'p50 vs list', 'p99 vs list'], widths));
  for (const [label, result] of [
    ['agent-bot BullMQ adapter', latency.bullmq],
    ['raw Redis LPUSH/BRPOP', latency.list],
    ['raw Redis ZADD/BZPOPMIN', latency.zset],
  ] as const) {
    console.log(
      row(
        [label, ms(result.p50), ms(result.p99), ratio(result.p50, latency.list.p50), ratio(result.p99, latency.list.p99)],
        widths,
      ),
    );
  }

  console.log(
    `\nNo-op throughput: ${THROUGHPUT_JOBS} jobs, ${PRODUCER_CONCURRENCY} concurrent producers, ` +
      `consumer concurrency ${CONSUMER_CONCURRENCY} (raw: one blocking consumer)`,
  );
  console.log(row(['', 'jobs/s', 'done', 'vs list'], widths));
  for (const [label, result] of [
    ['agent-bot BullMQ adapter', throughput.bullmq],
    ['raw Redis LPUSH/BRPOP', throughput.list],
    ['raw Redis ZADD/BZPOPMIN', throughput.zset],
  ] as const) {
    console.log(
      row([label, result.perSecond.toFixed(0), String(result.n), ratio(result.perSecond, throughput.list.perSecond)], widths),
    );
  }
}

try {
  await main();
} finally {
  for (const redis of clients) redis.disconnect();
  await deleteRedisPrefix(prefix, redisUrl);
}
