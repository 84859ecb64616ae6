import {
  type EnqueueOptions,
  type EnqueueResult,
  type JobName,
  type JobPayload,
  type JobQueue,
  type QueueDepth,
  type QueueState,
  jobCatalog,
} from '@agent-bot/contracts';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobDefinitions } from './job-definitions.js';
import { toBullPriority } from './priorities.js';

export const DEFAULT_QUEUE_NAME = 'agent-bot';
const DEPTH_STATES: QueueState[] = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'];

export interface BullMqJobQueueOptions {
  /** A producer connection (see createRedis): commands fail fast while Redis is down. */
  connection: Redis;
  prefix: string;
  queueName?: string;
  /** Finished jobs are kept this long for inspection, then removed (the task row is the record). */
  keepCompletedSeconds?: number;
  keepFailedSeconds?: number;
  /** Payload schemas and retry policies; the contracts' job catalog unless given. */
  definitions?: JobDefinitions;
}

export class BullMqJobQueue implements JobQueue {
  private readonly queue: Queue;
  private readonly connection: Redis;
  private readonly keepCompletedSeconds: number;
  private readonly keepFailedSeconds: number;
  private readonly definitions: JobDefinitions;

  constructor(options: BullMqJobQueueOptions) {
    this.connection = options.connection;
    this.queue = new Queue(options.queueName ?? DEFAULT_QUEUE_NAME, {
      connection: options.connection,
      prefix: options.prefix,
      // BullMQ's first command on a connection is INFO (version check). With skipWaitingForReady it
      // is sent before the producer connection is ready, and a producer has no offline queue, so
      // every later call rejected with "Stream isn't writeable". Waiting for ready costs nothing:
      // main.ts checks that Redis answers before building the queue.
    });
    this.queue.on('error', () => {});
    this.keepCompletedSeconds = options.keepCompletedSeconds ?? 24 * 3600;
    this.keepFailedSeconds = options.keepFailedSeconds ?? 7 * 24 * 3600;
    this.definitions = options.definitions ?? jobCatalog;
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions): Promise<EnqueueResult> {
    const definition = this.definitions[name];
    const data = definition.payload.parse(payload);
    // BullMQ ignores a reused id only while the old job exists; the caller keeps permanent dedupe.
    if (await this.queue.getJob(options.jobId)) return { jobId: options.jobId, deduplicated: true };
    await this.queue.add(name, data, {
      jobId: options.jobId,
      priority: toBullPriority(options.priority),
      attempts: definition.attempts,
      backoff: { type: definition.backoff.type, delay: definition.backoff.delayMs },
      delay: options.delayMs,
      removeOnComplete: { age: this.keepCompletedSeconds },
      removeOnFail: { age: this.keepFailedSeconds },
    });
    return { jobId: options.jobId, deduplicated: false };
  }

  async depth(): Promise<QueueDepth> {
    const counts = await this.queue.getJobCounts(...DEPTH_STATES);
    return Object.fromEntries(DEPTH_STATES.map((state) => [state, counts[state] ?? 0])) as QueueDepth;
  }

  async ping(): Promise<void> {
    await this.connection.ping();
  }

  async close(): Promise<void> {
    await this.queue.close();
  }

  /**
   * The queue as a @bull-board adapter, so the gateway can mount the queue view without importing
   * bullmq. `readOnly` hides retry/remove/clean actions.
   */
  boardAdapter(options: { readOnly: boolean }): BullMQAdapter {
    return new BullMQAdapter(this.queue, { readOnlyMode: options.readOnly, description: 'agent-bot jobs' });
  }
}
