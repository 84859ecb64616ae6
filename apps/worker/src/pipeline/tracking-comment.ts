import type { GitHubResults, IssueThreadRef, Task, TaskUsage } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';
import { taskBranch } from '@agent-bot/workspace';

export interface FinalReport {
  ok: boolean;
  /** Stopped on request (not a failure of the agent). */
  cancelled?: boolean;
  summary: string;
  /** Said under the summary: where the change went when that is not where the user may expect. */
  note?: string;
  errorCode?: string;
  usage?: TaskUsage;
  durationMs: number;
  runner?: string;
  model?: string;
  pullRequestUrl?: string;
}

/** The hidden marker a retried task finds its comment by (never posted twice). */
export const trackingMarker = (taskId: string) => `<!-- agent-bot:task:${taskId} -->`;

/** Where the tracking comment lives, or null when the task did not come from a GitHub thread. */
export function threadOf(task: Task): IssueThreadRef | null {
  const issueNumber = Number(task.context.issueNumber);
  if (task.source !== 'github' || !task.repo || !task.installationId || !Number.isInteger(issueNumber) || issueNumber <= 0)
    return null;
  return { installationId: task.installationId, repo: task.repo, issueNumber };
}

/** What an operator or user does about a failure, by error code. */
export function hintFor(code: string | undefined): string {
  switch (code) {
    case 'TASK_TIMEOUT':
      return 'The time limit stopped it (TASK_TIMEOUT_SECONDS).';
    case 'TASK_BUDGET_TOKENS':
      return 'The token limit stopped it (TASK_MAX_TOKENS).';
    case 'TASK_BUDGET_COST':
      return 'The cost limit stopped it (TASK_MAX_COST_USD).';
    case 'BUDGET_MONTHLY':
      return "The installation's monthly budget is used up (INSTALLATION_MONTHLY_BUDGET_USD).";
    case 'TASK_CANCELLED':
      return 'It was cancelled (from the dashboard or the API) and its agent was stopped.';
    case 'TASK_STALLED':
      return 'The worker running it stopped responding.';
    case 'RUNNER_UNAVAILABLE':
      return 'No agent runner is available; an operator needs to configure one.';
    default:
      return '';
  }
}

/**
 * The one comment a task keeps on its issue or pull request, edited as steps complete. Edits are
 * throttled (steps arriving faster are folded into the next edit); the final report is always
 * written. A failure to write is logged, never fails the task.
 */
export class TrackingComment {
  private readonly steps: string[] = [];
  private lastWrite = 0;
  /** Whether the last write (the final one, once finish has run) reached GitHub. */
  private lastWriteOk = false;
  private pending: NodeJS.Timeout | undefined;
  private writing: Promise<void> = Promise.resolve();
  url: string | undefined;

  constructor(
    private readonly deps: { results: GitHubResults; logger: Logger; publicUrl: string; throttleMs: number },
    private readonly ref: IssueThreadRef,
    private readonly taskId: string,
  ) {}

  get taskUrl(): string {
    return `${this.deps.publicUrl.replace(/\/+$/, '')}/tasks/${this.taskId}`;
  }

  /** Records a completed step; the comment shows it at the next (throttled) edit. */
  step(text: string): void {
    this.steps.push(text);
    if (this.pending) return;
    const wait = Math.max(0, this.lastWrite + this.deps.throttleMs - Date.now());
    this.pending = setTimeout(() => {
      this.pending = undefined;
      this.enqueue(this.progressBody());
    }, wait);
  }

  /** Writes now (the first comment, so the user sees at once that work started). */
  async start(): Promise<void> {
    this.enqueue(this.progressBody());
    await this.writing;
  }

  /** Drops edits not yet written: the comment now belongs to whoever settled the task. */
  discard(): void {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
  }

  /**
   * Writes the final report. True when the comment now says it; false when the write failed
   * (logged): the ending is then left unreported for the ending sweep to write later.
   */
  async finish(report: FinalReport): Promise<boolean> {
    if (this.pending) clearTimeout(this.pending);
    this.pending = undefined;
    this.enqueue(finalCommentBody({ taskId: this.taskId, taskUrl: this.taskUrl, report, steps: this.steps }));
    await this.writing;
    return this.lastWriteOk;
  }

  private enqueue(body: string): void {
    this.writing = this.writing.then(async () => {
      this.lastWrite = Date.now();
      try {
        const { url } = await this.deps.results.upsertTrackingComment(this.ref, trackingMarker(this.taskId), body);
        this.url = url;
        this.lastWriteOk = true;
      } catch (error) {
        this.lastWriteOk = false;
        this.deps.logger.warn({ err: error, taskId: this.taskId }, 'tracking comment not updated');
      }
    });
  }

  private progressBody(): string {
    const lines = [
      trackingMarker(this.taskId),
      `⏳ **agent-bot is working on this** · [follow the task live](${this.taskUrl})`,
      '',
    ];
    for (const step of this.steps) lines.push(`- ${step}`);
    return lines.join('\n');
  }
}

/**
 * The final body of a task's tracking comment: the worker's at the end of an attempt, and the
 * ending sweep's from the row when that worker stopped before writing it (without `steps`, which
 * only the worker knew).
 */
export function finalCommentBody(input: { taskId: string; taskUrl: string; report: FinalReport; steps?: string[] }): string {
  const { taskId, taskUrl, report } = input;
  const steps = input.steps ?? [];
  const head = report.ok
    ? '✅ **agent-bot finished**'
    : report.cancelled
      ? '🛑 **agent-bot was cancelled**'
      : `❌ **agent-bot failed**${report.errorCode ? ` (\`${report.errorCode}\`)` : ''}`;
  const lines = [trackingMarker(taskId), `${head} · [task details](${taskUrl})`, ''];
  lines.push(report.summary.slice(0, 4000));
  if (report.note) lines.push('', `> ${report.note}`);
  const hint = report.ok ? '' : hintFor(report.errorCode);
  if (hint) lines.push('', hint);
  if (!report.ok) lines.push('', `To retry, mention the bot again or use **Retry** on the [task page](${taskUrl}).`);
  if (report.pullRequestUrl) lines.push('', `Pull request: ${report.pullRequestUrl}`);
  if (steps.length > 0) lines.push('', '<details><summary>Steps</summary>', '', ...steps.map((s) => `- ${s}`), '', '</details>');
  const usage = report.usage;
  lines.push(
    '',
    `| runner | model | tokens (in / out) | cost | duration |`,
    `| --- | --- | --- | --- | --- |`,
    `| ${report.runner ?? '-'} | ${report.model ?? '-'} | ${usage?.inputTokens ?? 0} / ${usage?.outputTokens ?? 0} | $${(usage?.costUsd ?? 0).toFixed(4)} | ${formatDuration(report.durationMs)} |`,
  );
  return lines.join('\n');
}

export function formatDuration(ms: number): string {
  const seconds = Math.round(ms / 1000);
  return seconds < 60 ? `${seconds}s` : `${Math.floor(seconds / 60)}m ${seconds % 60}s`;
}

/** Body for a task the stall detector gave up on (its own worker can no longer write). */
export function stalledBody(task: Pick<Task, 'id' | 'publishingAt'>, publicUrl: string, thresholdMs: number): string {
  const url = `${publicUrl.replace(/\/+$/, '')}/tasks/${task.id}`;
  const minutes = Math.round(thresholdMs / 60000);
  const why = task.publishingAt
    ? [
        `The worker running this task stopped responding (no heartbeat for ${minutes} min) while it was publishing the result, and no worker could take it over, so the task was stopped.`,
        '',
        `Publishing had started: the branch \`${taskBranch(task.id)}\` may have been pushed and a pull request opened from it. Check them before retrying; a retry opens a new branch and pull request.`,
      ]
    : [`The worker running this task stopped responding (no heartbeat for ${minutes} min), so the task was stopped.`];
  return [
    trackingMarker(task.id),
    `⚠️ **agent-bot stalled** (\`TASK_STALLED\`) · [task details](${url})`,
    '',
    ...why,
    '',
    `To retry, mention the bot again or use **Retry** on the [task page](${url}).`,
  ].join('\n');
}
