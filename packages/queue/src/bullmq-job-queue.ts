import {
  CallBatcher,
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
import { type JobsOptions, Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import type { JobDefinitions } from './job-definitions.js';
import { toBullPriority } from './priorities.js';

export const DEFAULT_QUEUE_NAME = 'agent-bot';
/** Per key, 1 when it exists: which job ids of a batch the queue already holds. */
const EXISTS_EACH = "local found = {} for i, key in ipairs(KEYS) do found[i] = redis.call('EXISTS', key) end return found";
const DEPTH_STATES: QueueState[] = ['waiting', 'active', 'delayed', 'prioritized', 'completed', 'failed'];
/** States from which a consumer will still run the job (BullMQ also says 'unknown' for none). */
const PENDING_STATES = new Set<string>(['waiting', 'active', 'delayed', 'prioritized', 'waiting-children']);

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

interface PendingAdd {
  name: JobName;
  data: unknown;
  jobId: string;
  opts: JobsOptions;
}

export class BullMqJobQueue implements JobQueue {
  private readonly queue: Queue;
  private readonly connection: Redis;
  private readonly keepCompletedSeconds: number;
  private readonly keepFailedSeconds: number;
  private readonly definitions: JobDefinitions;
  private readonly adds: CallBatcher<PendingAdd, EnqueueResult>;
  private readonly freshAdds: CallBatcher<PendingAdd, EnqueueResult>;

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
    // Enqueues that arrive together (a burst of webhooks) cost two pipelined round trips in all.
    // One batch at a time, so a batch's existence check sees every add of the batch before it.
    this.adds = new CallBatcher({ run: (adds) => this.addBatch(adds), maxBatch: 500 });
    // Fresh ids need no existence check, so their batches may overlap: one addBulk per batch.
    this.freshAdds = new CallBatcher({ run: (adds) => this.addFreshBatch(adds), maxBatch: 500, concurrency: 2 });
  }

  async enqueue<N extends JobName>(name: N, payload: JobPayload<N>, options: EnqueueOptions): Promise<EnqueueResult> {
    const definition = this.definitions[name];
    const data = definition.payload.parse(payload);
    return (options.fresh ? this.freshAdds : this.adds).call({
      name,
      data,
      jobId: options.jobId,
      opts: {
        jobId: options.jobId,
        priority: toBullPriority(options.priority),
        attempts: definition.attempts,
        backoff: { type: definition.backoff.type, delay: definition.backoff.delayMs },
        delay: options.delayMs,
        removeOnComplete: { age: this.keepCompletedSeconds },
        removeOnFail: { age: this.keepFailedSeconds },
      },
    });
  }

  /**
   * BullMQ ignores a reused id only while the old job exists (the caller keeps permanent dedupe), and
   * does not say whether it did: one script asks which ids exist, then one addBulk adds the others.
   */
  private async addBatch(adds: PendingAdd[]): Promise<EnqueueResult[]> {
    // Like BullMQ's own calls, wait for the connection (a producer connection has no offline queue).
    await this.queue.waitUntilReady();
    const keys = adds.map((add) => this.queue.toKey(add.jobId));
    // One command for the whole batch (a pipeline of EXISTS cost ~30 µs of CPU per job here).
    const exists = (await this.connection.eval(EXISTS_EACH, keys.length, ...keys)) as number[];
    const queued = new Set(adds.filter((_, index) => exists[index] === 1).map((add) => add.jobId));
    const fresh = new Map<string, PendingAdd>();
    for (const add of adds) if (!queued.has(add.jobId) && !fresh.has(add.jobId)) fresh.set(add.jobId, add);
    if (fresh.size > 0) await this.queue.addBulk([...fresh.values()].map(({ name, data, opts }) => ({ name, data, opts })));
    // Within one batch, the first call with an id queues it and later ones are duplicates.
    return adds.map(({ jobId }) => {
      const first = fresh.get(jobId);
      if (first) fresh.delete(jobId);
      return { jobId, deduplicated: first === undefined };
    });
  }

  private async addFreshBatch(adds: PendingAdd[]): Promise<EnqueueResult[]> {
    await this.queue.waitUntilReady();
    await this.queue.addBulk(adds.map(({ name, data, opts }) => ({ name, data, opts })));
    return adds.map(({ jobId }) => ({ jobId, deduplicated: false }));
  }

  async depth(): Promise<QueueDepth> {
    const counts = await this.queue.getJobCounts(...DEPTH_STATES);
    return Object.fromEntries(DEPTH_STATES.map((state) => [state, counts[state] ?? 0])) as QueueDepth;
  }

  async pending(jobId: string): Promise<boolean> {
    const state = await this.queue.getJobState(jobId);
    return PENDING_STATES.has(state);
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
