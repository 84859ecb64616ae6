import type {
  AgentRunner,
  BotRepository,
  ChatMessageRepository,
  EventBus,
  TaskEventRepository,
  TaskRepository,
} from '@agent-bot/contracts';
import type { Logger, Metrics } from '@agent-bot/observability';
import { BullMqJobConsumer, type RedisClient } from '@agent-bot/queue';
import { type BotHeartbeat, startBotHeartbeat } from './bots/bot-heartbeat.js';
import { BusyBots } from './bots/busy-bots.js';
import { createChatReplyProcessor } from './processors/chat-reply.processor.js';
import { startTaskCancellations } from './pipeline/task-cancellations.js';
import { type TaskRunProcessorDeps, createTaskRunProcessor } from './processors/task-run.processor.js';
import { createRunnerResolver } from './runners/resolve-runner.js';

export interface WorkerRuntimeOptions {
  workerId: string;
  /** A consumer connection (createRedis(url, 'consumer')). */
  connection: RedisClient;
  prefix: string;
  concurrency: number;
  lockDurationMs?: number;
  stalledIntervalMs?: number;
  tasks: TaskRepository;
  taskEvents: TaskEventRepository;
  bots: BotRepository;
  chat: ChatMessageRepository;
  events: EventBus;
  logger: Logger;
  metrics: Metrics;
  /** Runners this worker has, by name; bots and tasks of other runners are not served here. */
  runners: Record<string, AgentRunner>;
  defaultRunner: string | undefined;
  limits: { timeoutMs: number; maxCostUsd: number; maxTokens?: number };
  /**
   * The full task pipeline (workspace, index, GitHub results, budgets) as main composes it; without
   * it tasks run with the runner alone (tests of chat and live logs).
   */
  taskRun?: TaskRunProcessorDeps;
  onStalled?: (jobId: string) => void;
  botHeartbeatIntervalMs: number;
  botStaleAfterMs: number;
}

export interface WorkerRuntime {
  consumer: BullMqJobConsumer;
  botHeartbeat: BotHeartbeat;
  /** Stops taking jobs (draining up to `drainMs`) and stops heartbeating bots. */
  close(drainMs: number): Promise<{ drained: boolean }>;
}

/** The worker's queue consumer, job processors and bot heartbeats, wired from already-built adapters. */
export async function startWorkerRuntime(options: WorkerRuntimeOptions): Promise<WorkerRuntime> {
  const resolveRunner = createRunnerResolver(options.runners, options.defaultRunner);
  // Subscribed before the consumer takes a job, so a cancel for any task it runs is heard.
  const cancellations = await startTaskCancellations({ events: options.events, logger: options.logger });
  const busy = new BusyBots();
  const botHeartbeat = startBotHeartbeat({
    bots: options.bots,
    events: options.events,
    logger: options.logger,
    busy,
    workerId: options.workerId,
    runners: Object.keys(options.runners),
    intervalMs: options.botHeartbeatIntervalMs,
    staleAfterMs: options.botStaleAfterMs,
  });
  const consumer = new BullMqJobConsumer({
    connection: options.connection,
    prefix: options.prefix,
    concurrency: options.concurrency,
    lockDurationMs: options.lockDurationMs,
    stalledIntervalMs: options.stalledIntervalMs,
    onError: (error, jobId) => options.logger.error({ err: error, jobId }, 'queue error'),
    onStalled: options.onStalled,
    handlers: {
      'task.run': createTaskRunProcessor({
        ...(options.taskRun ?? {
          tasks: options.tasks,
          taskEvents: options.taskEvents,
          events: options.events,
          logger: options.logger,
          metrics: options.metrics,
          resolveRunner,
          limits: options.limits,
        }),
        cancellations,
      }),
      'chat.reply': createChatReplyProcessor({
        bots: options.bots,
        chat: options.chat,
        events: options.events,
        logger: options.logger,
        busy,
        resolveRunner,
        onBusyChange: botHeartbeat.beatNow,
        limits: options.limits,
      }),
    },
  });
  await consumer.ready();
  return {
    consumer,
    botHeartbeat,
    async close(drainMs) {
      const result = await consumer.close(drainMs);
      await botHeartbeat.stop();
      await cancellations.close();
      return result;
    },
  };
}
