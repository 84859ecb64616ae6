import type { AttemptRun, TaskRepository, TaskUsage } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';

export interface RunningUsageOptions {
  tasks: Pick<TaskRepository, 'recordAttemptUsage'>;
  taskId: string;
  run: Required<AttemptRun>;
  logger: Logger;
  /** At least this long between two writes (the latest figure waits, then goes). Default 1 s. */
  minIntervalMs?: number;
}

/**
 * Keeps the task row's usage up to date while the agent runs, so a worker that dies mid-run
 * (SIGKILL, OOM) has already counted most of what its agent spent: without it the tokens lived in
 * memory until the verdict, and the monthly budget and the dashboard under-counted.
 *
 * Each figure offered is the run's cumulative usage; the repository keeps the highest per run, so
 * writes may land in any order. A chatty run does not write per event: at most one write is in
 * flight, writes are at least `minIntervalMs` apart, and a newer figure replaces one still waiting
 * (the latest wins). A failed write is logged and tried again with the next figure (or at close()).
 */
export class RunningUsage {
  private latest: TaskUsage | undefined;
  private pending = false;
  private inFlight: Promise<void> | undefined;
  private timer: NodeJS.Timeout | undefined;
  private lastWriteAt = Number.NEGATIVE_INFINITY;
  private closed = false;

  constructor(private readonly options: RunningUsageOptions) {}

  /** The run has spent `usage` so far. Never throws, never waits. */
  offer(usage: TaskUsage): void {
    if (this.closed) return;
    this.latest = usage;
    this.pending = true;
    this.schedule();
  }

  /**
   * Stops taking figures, writes the one still waiting (if any) and waits for every write started:
   * called once the agent is done, before the verdict (which writes the final figure itself) or the
   * hand-over on shutdown (which writes nothing else). Never throws.
   */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = undefined;
    while (this.inFlight) await this.inFlight;
    if (this.pending) await this.write();
  }

  private schedule(): void {
    if (this.closed || this.inFlight || this.timer) return;
    const wait = this.lastWriteAt + (this.options.minIntervalMs ?? 1000) - performance.now();
    if (wait <= 0) {
      void this.write();
      return;
    }
    this.timer = setTimeout(() => {
      this.timer = undefined;
      if (this.pending && !this.inFlight) void this.write();
    }, wait);
    // A waiting figure never keeps the process alive: shutdown flushes what it must.
    this.timer.unref();
  }

  private write(): Promise<void> {
    const usage = this.latest as TaskUsage;
    this.pending = false;
    this.lastWriteAt = performance.now();
    const writing = this.record(usage).then((written) => {
      this.inFlight = undefined;
      // A newer figure came while this one was on its way. After a failure it waits for the next
      // figure or close(), so a database that is down is not tried again on a timer.
      if (written && this.pending) this.schedule();
    });
    this.inFlight = writing;
    return writing;
  }

  private async record(usage: TaskUsage): Promise<boolean> {
    const { tasks, taskId, run, logger } = this.options;
    try {
      await tasks.recordAttemptUsage(taskId, run, usage);
      return true;
    } catch (error) {
      // Cumulative figures: the next one (or the verdict's final one) includes this one.
      this.pending = true;
      logger.warn({ err: error }, 'running usage not recorded');
      return false;
    }
  }
}
