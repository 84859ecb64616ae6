import {
  type AgentRunner,
  AppError,
  type EventBus,
  type JobContext,
  PermanentJobError,
  type TaskEventRepository,
  type TaskRepository,
  type TaskUsage,
  errorCodeOf,
} from '@agent-bot/contracts';
import type { Logger, Metrics } from '@agent-bot/observability';
import { TaskReporter } from './task-reporter.js';

export interface RunTaskDeps {
  tasks: TaskRepository;
  taskEvents: TaskEventRepository;
  events: EventBus;
  logger: Logger;
  metrics: Metrics;
  /** Picks the runner for a task; throws RUNNER_UNAVAILABLE with what to configure. */
  resolveRunner: (runnerName: string | null) => AgentRunner;
  limits: { timeoutMs: number; maxCostUsd: number };
  heartbeatIntervalMs?: number;
}

/**
 * One attempt at a task: running -> agent -> succeeded or failed. Safe to run again for the same
 * task (a retry or a stalled job taken over): every write is keyed by task id.
 */
export async function runTask(deps: RunTaskDeps, taskId: string, job: JobContext): Promise<void> {
  const task = await deps.tasks.markRunning(taskId, job.attempt);
  if (!task) {
    deps.logger.info({ taskId }, 'task is already finished or gone; nothing to do');
    return;
  }
  const reporter = new TaskReporter(deps, taskId);
  const log = deps.logger.child({ taskId, attempt: job.attempt });
  const runnerLabel = task.runner ?? 'default';
  const started = performance.now();
  const heartbeat = setInterval(() => {
    deps.tasks.heartbeat(taskId).catch((error: unknown) => log.warn({ err: error }, 'heartbeat failed'));
  }, deps.heartbeatIntervalMs ?? 10_000);
  deps.metrics.tasksActive.inc();
  let usage: TaskUsage | undefined;

  try {
    await reporter.status('running');
    await reporter.log('started', `attempt ${job.attempt} of ${job.maxAttempts} started`);
    const runner = deps.resolveRunner(task.runner);
    const outcome = await consumeRunner(runner, task.prompt, taskId, task.model, deps, reporter, job.signal);
    usage = outcome.usage;
    if (!outcome.ok) throw new PermanentJobError(outcome.errorCode ?? 'RUNNER_FAILED', outcome.summary);
    await deps.tasks.markSucceeded(taskId, { usage, result: { summary: outcome.summary } });
    await reporter.log('succeeded', outcome.summary, { ...usage });
    await reporter.status('succeeded');
    deps.metrics.tasksTotal.inc({ status: 'succeeded', runner: runner.name });
    deps.metrics.taskDurationSeconds.observe({ status: 'succeeded', runner: runner.name }, (performance.now() - started) / 1000);
  } catch (caught) {
    const error = job.signal.aborted && !(caught instanceof AppError) ? abortError(job.signal) : caught;
    const code = errorCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    const final = error instanceof PermanentJobError || job.attempt >= job.maxAttempts;
    if (code === 'TASK_ABANDONED') {
      // The job stays locked in the queue and another worker takes it over; the task is not over.
      await reporter.log('abandoned', message);
    } else if (final) {
      await deps.tasks.markFailed(taskId, { code, message, usage });
      await reporter.log('failed', message, { code });
      await reporter.status('failed', message);
      deps.metrics.tasksTotal.inc({ status: 'failed', runner: runnerLabel });
      deps.metrics.taskDurationSeconds.observe({ status: 'failed', runner: runnerLabel }, (performance.now() - started) / 1000);
    } else {
      await deps.tasks.markRetrying(taskId, { code, message });
      await reporter.log('retrying', `attempt ${job.attempt} failed: ${message}`, { code });
      await reporter.status('queued', message);
    }
    log.warn({ code, final }, `task attempt failed: ${message}`);
    throw error;
  } finally {
    clearInterval(heartbeat);
    deps.metrics.tasksActive.dec();
  }
}

function abortError(signal: AbortSignal): AppError {
  const reason = signal.reason instanceof Error ? signal.reason.message : 'aborted';
  if (reason.includes('shutting down')) return new AppError('TASK_ABANDONED', `worker shut down: ${reason}`);
  return new PermanentJobError('TASK_TIMEOUT', `task stopped: ${reason}`);
}

async function consumeRunner(
  runner: AgentRunner,
  prompt: string,
  taskId: string,
  model: string | null,
  deps: RunTaskDeps,
  reporter: TaskReporter,
  signal: AbortSignal,
): Promise<{ ok: boolean; summary: string; usage: TaskUsage; errorCode?: string }> {
  const input = { taskId, prompt, model: model ?? undefined, limits: deps.limits };
  for await (const event of runner.run(input, signal)) {
    switch (event.kind) {
      case 'log':
        await reporter.log('agent.log', event.message);
        break;
      case 'text':
        await reporter.log('agent.text', event.text);
        break;
      case 'token':
        break;
      case 'tool_call':
        await reporter.log('agent.tool_call', event.name, { input: event.input });
        break;
      case 'tool_result':
        await reporter.log('agent.tool_result', `${event.name}: ${event.summary}`, { ok: event.ok });
        break;
      case 'result':
        return { ok: event.ok, summary: event.summary, usage: event.usage, errorCode: event.errorCode };
      default: {
        const exhaustive: never = event;
        throw new Error(`unhandled agent event ${JSON.stringify(exhaustive)}`);
      }
    }
  }
  throw new AppError('RUNNER_FAILED', `runner ${runner.name} ended without a result`);
}
