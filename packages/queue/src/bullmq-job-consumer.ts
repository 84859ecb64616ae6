import {
  type JobConsumer,
  type JobContext,
  type JobHandlers,
  type JobName,
  PermanentJobError,
  isJobName,
  jobCatalog,
} from '@agent-bot/contracts';
import { type Job, UnrecoverableError, Worker } from 'bullmq';
import type { Redis } from 'ioredis';
import { DEFAULT_QUEUE_NAME } from './bullmq-job-queue.js';
import type { JobDefinitions } from './job-definitions.js';

export interface BullMqJobConsumerOptions {
  /** A consumer connection (maxRetriesPerRequest null). BullMQ duplicates it for blocking reads. */
  connection: Redis;
  prefix: string;
  handlers: JobHandlers;
  queueName?: string;
  concurrency?: number;
  /** A job whose lock is not renewed for this long is considered stalled and handed to another worker. */
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  /** Payload schemas and timeouts; the contracts' job catalog unless given (must match the producer's). */
  definitions?: JobDefinitions;
  /** Called for failures worth logging; the consumer itself never logs. */
  onError?: (error: Error, jobId?: string) => void;
}

/** Runs catalog jobs with BullMQ; handlers see plain payloads and a JobContext, never a bullmq Job. */
export class BullMqJobConsumer implements JobConsumer {
  private readonly worker: Worker;
  private readonly running = new Map<string, AbortController>();

  constructor(private readonly options: BullMqJobConsumerOptions) {
    this.worker = new Worker(options.queueName ?? DEFAULT_QUEUE_NAME, (job, _token, signal) => this.process(job, signal), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      // A job may stall once (its worker died); a second stall means it kills workers: fail it.
      maxStalledCount: 1,
    });
    this.worker.on('error', (error) => options.onError?.(error));
  }

  activeCount(): number {
    return this.running.size;
  }

  /** Resolves once the worker is connected and taking jobs. */
  async ready(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  async close(drainTimeoutMs: number): Promise<{ drained: boolean }> {
    const graceful = this.worker.close();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<'timeout'>((resolve) => {
      timer = setTimeout(() => resolve('timeout'), drainTimeoutMs);
    });
    const outcome = await Promise.race([graceful.then(() => 'drained' as const), deadline]);
    clearTimeout(timer);
    if (outcome === 'drained') return { drained: true };
    // Past the deadline: abort running handlers and leave their jobs locked; the lock expires and
    // another worker takes them over as stalled jobs.
    for (const controller of this.running.values()) controller.abort(new Error('worker shutting down'));
    await this.worker.close(true);
    return { drained: false };
  }

  private async process(job: Job, bullSignal?: AbortSignal): Promise<void> {
    const name = job.name;
    if (!isJobName(name)) throw new UnrecoverableError(`unknown job name "${name}"`);
    const definition = (this.options.definitions ?? jobCatalog)[name];
    const parsed = definition.payload.safeParse(job.data);
    if (!parsed.success) throw new UnrecoverableError(`invalid payload for ${name}: ${parsed.error.message}`);

    const controller = new AbortController();
    const jobId = job.id ?? '';
    this.running.set(jobId, controller);
    const timer = setTimeout(() => controller.abort(new Error(`job exceeded ${definition.timeoutMs} ms`)), definition.timeoutMs);
    bullSignal?.addEventListener('abort', () => controller.abort(bullSignal.reason), { once: true });
    const context: JobContext = {
      jobId,
      name,
      attempt: job.attemptsMade + 1,
      maxAttempts: job.opts.attempts ?? definition.attempts,
      signal: controller.signal,
    };
    try {
      const handler = this.options.handlers[name as JobName] as (payload: unknown, ctx: JobContext) => Promise<void>;
      await handler(parsed.data, context);
    } catch (error) {
      if (error instanceof PermanentJobError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
      throw error;
    } finally {
      clearTimeout(timer);
      this.running.delete(jobId);
    }
  }
}
