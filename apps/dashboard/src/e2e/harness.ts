import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import {
  PostgresBotRepository,
  PostgresChatMessageRepository,
  PostgresTaskEventRepository,
  PostgresTaskRepository,
} from '@agent-bot/db';
import { createLogger, createMetrics } from '@agent-bot/observability';
import { RedisEventBus, RedisWorkerRegistry, createRedis } from '@agent-bot/queue';
import { OllamaRunner } from '@agent-bot/runners';
import { type GitHubStandIn, TEST_REDIS_URL, freePort, startGitHubStandIn, startOllamaStandIn } from '@agent-bot/testing';
import { createGitHubGatewayDeps } from '../../../gateway/src/github-deps.js';
import { type TestGateway, createTestGateway } from '../../../gateway/src/test-support/test-gateway.js';
import { ScriptedLogRunner } from '../../../worker/src/test-support/scripted-log-runner.js';
import { startWorkerHeartbeat } from '../../../worker/src/worker-heartbeat.js';
import { type WorkerRuntime, startWorkerRuntime } from '../../../worker/src/worker-runtime.js';

export const DASHBOARD_DIR = fileURLToPath(new URL('../../dist', import.meta.url));
const DASHBOARD_ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Builds the dashboard the way `npm run build` does, so the browser sees the real bundle. */
export function buildDashboard() {
  execFileSync('npx', ['--no-install', 'vite', 'build', '--logLevel', 'warn'], { cwd: DASHBOARD_ROOT, stdio: 'inherit' });
}

/** What the Ollama stand-in answers, in order: one answer per chat message the test sends. */
export const OLLAMA_ANSWERS = [
  'Hello from the Ollama stand-in: this answer streams a few characters at a time.',
  'This answer came over server-sent events.',
] as const;

export interface Stack {
  gateway: TestGateway;
  baseUrl: string;
  runtime: WorkerRuntime;
  /** The GitHub stand-in the gateway's (not yet created) GitHub App would live on. */
  github: GitHubStandIn;
  close(): Promise<void>;
}

/**
 * A real gateway (listening on a free port, serving the built dashboard) and a real worker
 * (queue consumer, processors, bot and worker heartbeats) on the local PostgreSQL and Redis.
 */
export async function startStack(options: { botStaleAfterMs: number; botHeartbeatIntervalMs: number }): Promise<Stack> {
  const port = await freePort();
  const baseUrl = `http://127.0.0.1:${port}`;
  const github = await startGitHubStandIn();
  // PUBLIC_URL is the browser's origin: the WebSocket's Origin check allows exactly it.
  // ENCRYPTION_KEY is set (GitHub routes mounted) but no GitHub App exists yet, as after a fresh install.
  const gateway = await createTestGateway({
    overrides: ({ db, sessions }) => ({
      dashboardDir: DASHBOARD_DIR,
      botStaleAfterMs: options.botStaleAfterMs,
      boardIntervalMs: 250,
      publicUrl: baseUrl,
      github: createGitHubGatewayDeps({
        sql: db.sql,
        encryptionKey: randomBytes(32),
        previousEncryptionKeys: [],
        apiUrl: github.apiUrl,
        appFromEnvironment: undefined,
        sessions,
        logger: createLogger({ name: 'e2e-github', level: 'silent' }),
      }),
    }),
  });
  await gateway.app.listen({ port, host: '127.0.0.1' });

  const ollama = await startOllamaStandIn({
    models: ['llama3.2'],
    script: OLLAMA_ANSWERS.map((text) => ({ kind: 'text' as const, text })),
    tokenDelayMs: 40,
  });
  const consumer = createRedis(TEST_REDIS_URL, 'consumer');
  const events = new RedisEventBus({
    publisher: consumer,
    subscriber: createRedis(TEST_REDIS_URL, 'subscriber'),
    prefix: gateway.redisPrefix,
  });
  const sql = gateway.db.sql;
  const logger = createLogger({ name: 'e2e-worker', level: 'silent' });
  const runtime = await startWorkerRuntime({
    workerId: 'e2e-worker-1',
    connection: consumer,
    prefix: gateway.redisPrefix,
    concurrency: 4,
    tasks: new PostgresTaskRepository(sql),
    taskEvents: new PostgresTaskEventRepository(sql),
    bots: new PostgresBotRepository(sql),
    chat: new PostgresChatMessageRepository(sql),
    events,
    logger,
    metrics: createMetrics({ collectProcessMetrics: false }),
    runners: {
      ollama: new OllamaRunner({ url: ollama.url, model: 'llama3.2', maxTurns: 2 }),
      noop: new ScriptedLogRunner('noop', { lines: 6, delayMs: 400 }),
    },
    defaultRunner: 'noop',
    limits: { timeoutMs: 60_000, maxCostUsd: 1 },
    botHeartbeatIntervalMs: options.botHeartbeatIntervalMs,
    botStaleAfterMs: options.botStaleAfterMs,
  });
  const workerHeartbeat = startWorkerHeartbeat({
    registry: new RedisWorkerRegistry({ redis: consumer, prefix: gateway.redisPrefix }),
    consumer: runtime.consumer,
    id: 'e2e-worker-1',
    concurrency: 4,
    intervalMs: 1000,
  });

  return {
    gateway,
    baseUrl,
    runtime,
    github,
    async close() {
      await workerHeartbeat.stop();
      await runtime.close(2000);
      await events.close();
      consumer.disconnect();
      await gateway.close();
      await ollama.close();
      await github.close();
    },
  };
}
