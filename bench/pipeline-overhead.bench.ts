/**
 * Per-task pipeline overhead with the noop runner: enqueue -> worker -> running -> workspace (warm)
 * -> index (cached) -> agent (noop) -> tracking comment on the GitHub stand-in -> succeeded, beside
 * a bare BullMQ round trip (enqueue -> empty handler -> completed) measured in the same run.
 * Run alone: npx tsx --conditions=@agent-bot/source bench/pipeline-overhead.bench.ts
 */
import { PostgresTaskRepository } from '@agent-bot/db';
import { BullMqJobConsumer, BullMqJobQueue, createRedis } from '@agent-bot/queue';
import { TEST_REDIS_URL, deleteRedisPrefix, uniqueRedisPrefix, waitFor } from '@agent-bot/testing';
import { NoopRunner } from '../apps/worker/src/runners/noop-runner.js';
import { createHarness } from '../apps/worker/src/test-support/pipeline-harness.js';
import { ready } from '../apps/worker/src/test-support/test-worker.js';
import { median } from './support/synthetic-repo.js';

const TASKS = 15;

async function bareQueueRoundTrips(): Promise<number[]> {
  const prefix = uniqueRedisPrefix('bench');
  const producer = await ready(createRedis(TEST_REDIS_URL, 'producer'));
  const connection = createRedis(TEST_REDIS_URL, 'consumer');
  const queue = new BullMqJobQueue({ connection: producer, prefix });
  const done = new Set<string>();
  const consumer = new BullMqJobConsumer({
    connection,
    prefix,
    concurrency: 1,
    handlers: {
      // Only task.run is measured; the catalog's other jobs need a handler all the same.
      'chat.reply': async () => {},
      'task.run': async ({ taskId }) => {
        done.add(taskId);
      },
    },
  });
  await consumer.ready();
  const times: number[] = [];
  for (let i = 0; i < TASKS; i++) {
    const taskId = crypto.randomUUID();
    const started = performance.now();
    await queue.enqueue('task.run', { taskId }, { jobId: taskId, priority: 'P1' });
    await waitFor('job done', () => done.has(taskId), { intervalMs: 1, timeoutMs: 10_000 });
    times.push(performance.now() - started);
  }
  await consumer.close(1000);
  await queue.close();
  connection.disconnect();
  producer.disconnect();
  await deleteRedisPrefix(prefix);
  return times;
}

async function pipelineRuns(withRepo: boolean, withGitHub: boolean): Promise<number[]> {
  const h = await createHarness();
  try {
    await h.startWorker({
      runners: { noop: new NoopRunner() },
      defaultRunner: 'noop',
      overrides: withGitHub ? {} : { github: undefined },
    });
    const tasks = new PostgresTaskRepository(h.db.sql);
    const times: number[] = [];
    // The first task clones and indexes; the measured ones are the warm tasks after it.
    for (let i = 0; i <= TASKS; i++) {
      const task = await h.createTask(withRepo ? {} : { repo: undefined, installationId: undefined, source: 'api', context: {} });
      const started = performance.now();
      await h.enqueue(task.id);
      await waitFor('task done', async () => (await tasks.get(task.id))?.status === 'succeeded', {
        intervalMs: 2,
        timeoutMs: 30_000,
      });
      if (i > 0) times.push(performance.now() - started);
    }
    return times;
  } finally {
    await h.close();
  }
}

const bare = median(await bareQueueRoundTrips());
const noRepo = median(await pipelineRuns(false, false));
const repoOnly = median(await pipelineRuns(true, false));
const withGitHub = median(await pipelineRuns(true, true));
console.log(`pipeline overhead per task, noop runner, median of ${TASKS} sequential tasks`);
console.log(`  bare BullMQ round trip (baseline)                 ${bare.toFixed(1)} ms`);
console.log(`  pipeline, no repository (DB, events, status)      ${noRepo.toFixed(1)} ms  = +${(noRepo - bare).toFixed(1)} ms`);
console.log(
  `  + warm workspace, cached index, no GitHub         ${repoOnly.toFixed(1)} ms  = +${(repoOnly - bare).toFixed(1)} ms`,
);
console.log(
  `  + tracking comment on the GitHub stand-in         ${withGitHub.toFixed(1)} ms  = +${(withGitHub - bare).toFixed(1)} ms`,
);
console.log('    (Octokit spaces writes to GitHub 1 s apart, as GitHub asks; a task writes its comment twice)');
process.exit(0);
