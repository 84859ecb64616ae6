import {
  type JobConsumer,
  type JobContext,
  type JobHandlers,
  type JobName,
  PermanentJobError,
  isJobName,
  jobCatalog,
} from '@agent-bot/contracts';
import { type Job, UnrecoverableError, WaitingError, Worker } from 'bullmq';
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
  /** Called when this consumer's stalled-job check hands a dead or hung worker's job back to the queue. */
  onStalled?: (jobId: string) => void;
  /** Called for failures worth logging; the consumer itself never logs. */
  onError?: (error: Error, jobId?: string) => void;
}

/** How long aborted handlers get to hand their jobs back after the drain deadline. */
const ABANDON_GRACE_MS = 5000;

async function settledWithin(promise: Promise<unknown>, ms: number): Promise<'settled' | 'timeout'> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<'timeout'>((resolve) => {
    timer = setTimeout(() => resolve('timeout'), ms);
  });
  const settled = promise.then(
    () => 'settled' as const,
    () => 'settled' as const,
  );
  const outcome = await Promise.race([settled, deadline]);
  clearTimeout(timer);
  return outcome;
}

/** Runs catalog jobs with BullMQ; handlers see plain payloads and a JobContext, never a bullmq Job. */
export class BullMqJobConsumer implements JobConsumer {
  private readonly worker: Worker;
  private readonly running = new Map<string, AbortController>();
  private abandoning = false;

  constructor(private readonly options: BullMqJobConsumerOptions) {
    this.worker = new Worker(options.queueName ?? DEFAULT_QUEUE_NAME, (job, token, signal) => this.process(job, token, signal), {
      connection: options.connection,
      prefix: options.prefix,
      concurrency: options.concurrency ?? 1,
      lockDuration: options.lockDurationMs ?? 30_000,
      stalledInterval: options.stalledIntervalMs ?? 30_000,
      // A job may stall once (its worker died); a second stall means it kills workers: fail it.
      maxStalledCount: 1,
    });
    this.worker.on('error', (error) => options.onError?.(error));
    this.worker.on('stalled', (jobId) => options.onStalled?.(jobId));
  }

  activeCount(): number {
    return this.running.size;
  }

  /** Resolves once the worker is connected and taking jobs. */
  async ready(): Promise<void> {
    await this.worker.waitUntilReady();
  }

  async close(drainTimeoutMs: number): Promise<{ drained: boolean }> {
    // worker.close() stops taking jobs and resolves once running ones have settled. BullMQ gives it
    // no deadline, and a later close(true) returns this same promise, so the deadline lives here.
    const graceful = this.worker.close();
    if ((await settledWithin(graceful, drainTimeoutMs)) === 'settled') return { drained: true };
    // Past the deadline: abort running handlers. Each hands its job straight back to the queue
    // (process() below), so another worker starts it at once without spending an attempt.
    this.abandoning = true;
    for (const controller of this.running.values()) controller.abort(new Error('worker shutting down'));
    // A handler that ignores its signal cannot hold shutdown hostage: once this process exits its
    // lock expires and the stalled-job check hands the job to another worker.
    await settledWithin(graceful, ABANDON_GRACE_MS);
    return { drained: false };
  }

  private async process(job: Job, token: string | undefined, bullSignal?: AbortSignal): Promise<void> {
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
      if (this.abandoning && controller.signal.aborted) {
        // Back to waiting with its priority, attempts untouched. If Redis is unreachable this
        // throws, the job stays active, and stalled-job recovery takes over when the lock expires.
        await job.moveToWait(token);
        throw new WaitingError();
      }
      if (error instanceof PermanentJobError) throw new UnrecoverableError(`${error.code}: ${error.message}`);
      throw error;
    } finally {
      clearTimeout(timer);
      this.running.delete(jobId);
    }
  }
}
