/**
 * A consumer process for the stalled-job test: it takes `task.run` jobs with short lock and stall
 * intervals, prints "started <jobId>" and then hangs, so the test can SIGKILL it mid-job.
 * Usage: hanging-consumer.ts <redisUrl> <prefix> <queueName>
 */
import { createRedis } from '../redis-connection.js';
import { BullMqJobConsumer } from '../bullmq-job-consumer.js';
import { otherJobsUnused } from './job-queue.contract.js';

const [redisUrl, prefix, queueName] = process.argv.slice(2);
if (!redisUrl || !prefix || !queueName) throw new Error('usage: hanging-consumer.ts <redisUrl> <prefix> <queueName>');

const consumer = new BullMqJobConsumer({
  connection: createRedis(redisUrl, 'consumer'),
  prefix,
  queueName,
  lockDurationMs: 1000,
  stalledIntervalMs: 500,
  handlers: {
    ...otherJobsUnused,
    'task.run': async (_payload, context) => {
      process.stdout.write(`started ${context.jobId}\n`);
      await new Promise(() => {});
    },
  },
});
await consumer.ready();
process.stdout.write('ready\n');
