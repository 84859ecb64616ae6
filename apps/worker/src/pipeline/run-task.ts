import { randomUUID } from 'node:crypto';
import {
  AppError,
  type AttemptRun,
  type JobContext,
  PermanentJobError,
  type Task,
  type TaskUsage,
  type TaskWorkspace,
  errorCodeOf,
} from '@agent-bot/contracts';
import { consumeRunner } from './consume-runner.js';
import type { RunTaskDeps, RepositoryIndexView } from './pipeline-deps.js';
import { publishChanges, replyInReviewThread } from './publish-changes.js';
import { type EndingContext, jobErrorFor, reportEnding } from './report-ending.js';
import { replyToSource } from './reply-to-source.js';
import { remainingLimits, remainingLimitsNote } from './task-limits.js';
import { RunningUsage } from './running-usage.js';
import { type Settled, settleSuperseded, settleTask } from './settle-task.js';
import { startPublishing } from './start-publishing.js';
import { TaskCancelRequest } from './task-cancellations.js';
import { TaskReporter } from './task-reporter.js';
import { TrackingComment, threadOf } from './tracking-comment.js';
import { type WorkBase, resolveWorkBase } from './work-base.js';

export type { RunTaskDeps } from './pipeline-deps.js';

/**
 * One attempt at a task: workspace -> index -> agent -> post result -> record. Safe to run again
 * for the same task (a retry, or a job taken over from a killed worker): the tracking comment is
 * found by its marker, the branch push replaces the branch, the pull request is found by its head.
 */
export async function runTask(deps: RunTaskDeps, taskId: string, job: JobContext): Promise<void> {
  // Watched before the task is marked running, so a cancel that lands right after is not missed.
  const cancel = new AbortController();
  const cancelNow = (reason: string) => {
    if (!cancel.signal.aborted) cancel.abort(new TaskCancelRequest(reason));
  };
  const stopWatching = deps.cancellations?.watch(taskId, cancelNow);
  // Shutdown, the time limit and a cancel all stop the agent through this one signal.
  const signal = AbortSignal.any([job.signal, cancel.signal]);
  // A cancelled (or finished) task is never started: markRunning only takes queued or running rows.
  const task = await deps.tasks.markRunning(taskId, job.attempt);
  if (!task) {
    stopWatching?.();
    deps.logger.info({ taskId }, 'task is already finished, cancelled or gone; nothing to do');
    return;
  }
  // This execution's own key for its usage: a job taken over after its worker died runs again
  // under the same attempt number, and both executions' spend counts (docs/pipeline.md).
  const run: Required<AttemptRun> = { attempt: job.attempt, runId: randomUUID() };
  const reporter = new TaskReporter(deps, taskId);
  const log = deps.logger.child({ taskId, attempt: job.attempt, runId: run.runId });
  const thread = threadOf(task);
  const tracker =
    thread && deps.github
      ? new TrackingComment(
          {
            results: deps.github.results,
            logger: log,
            publicUrl: deps.publicUrl ?? '',
            throttleMs: deps.commentThrottleMs ?? 3000,
          },
          thread,
          taskId,
        )
      : undefined;
  const started = performance.now();
  // Set at the point of no return (startPublishing): from then on no cancel is accepted or heard.
  let publishing = false;
  const heartbeat = setInterval(() => {
    deps.tasks.heartbeat(taskId).catch((error: unknown) => log.warn({ err: error }, 'heartbeat failed'));
    if (publishing) return;
    // The backstop for a cancel request this worker did not hear (pub/sub is fire and forget).
    deps.tasks
      .get(taskId)
      .then((current) => {
        if (current?.status === 'cancelled') cancelNow(current.errorMessage ?? 'cancelled');
      })
      .catch(() => undefined);
  }, deps.heartbeatIntervalMs ?? 10_000);
  deps.metrics.tasksActive.inc();
  let usage: TaskUsage | undefined;
  let runnerLabel = task.runner ?? 'default';
  let model: string | undefined = task.model ?? undefined;
  let workspace: TaskWorkspace | undefined;
  let base: WorkBase = {};
  // How the row ended (settleTask); set once, and everything user-visible follows it.
  let ended: Settled | undefined;
  const ending = (): EndingContext => ({
    deps,
    task,
    reporter,
    tracker,
    log,
    attempt: job.attempt,
    runner: runnerLabel,
    model,
    usage,
    durationMs: performance.now() - started,
  });

  try {
    await reporter.status('running');
    // The run id ties this execution's log to its usage row (task_attempt_usage.run_id).
    await reporter.log('started', `attempt ${job.attempt} of ${job.maxAttempts} started`, { runId: run.runId });
    await tracker?.start();
    await checkMonthlyBudget(deps, task);
    const limits = remainingLimits(deps.limits, task);
    const limitsNote = remainingLimitsNote(deps.limits, limits);
    if (limitsNote) await reporter.log('limits', limitsNote);
    const runner = deps.resolveRunner(task.runner);
    runnerLabel = runner.name;

    let index: RepositoryIndexView | undefined;
    if (task.repo && deps.workspaces) {
      const token = deps.github && task.installationId ? (await deps.github.tokens.get(task.installationId)).token : undefined;
      base = await resolveWorkBase(deps, task);
      if (base.note) tracker?.step(base.note);
      if (base.stackedOn !== undefined) {
        tracker?.step(
          `Working on pull request #${base.stackedOn}'s branch \`${base.baseBranch}\`; changes go to a pull request into it`,
        );
      }
      workspace = await deps.workspaces.prepare({ repo: task.repo, taskId, baseBranch: base.baseBranch, token });
      const ready = `Workspace ready: \`${task.repo}\` at \`${workspace.baseCommit.slice(0, 7)}\` (${workspace.baseBranch})`;
      await reporter.log('workspace.ready', ready, { dir: workspace.dir, branch: workspace.branch });
      tracker?.step(ready);
      if (deps.indexer) {
        const indexed = await deps.indexer.index({ repo: task.repo, commit: workspace.baseCommit, dir: workspace.dir });
        index = indexed.index;
        const text = `Indexed ${indexed.stats.files} files (${indexed.stats.parsed} parsed, ${indexed.stats.reused} reused)`;
        await reporter.log('index.ready', text, { ...indexed.stats });
        tracker?.step(text);
      }
    }

    throwIfStopped(signal);
    tracker?.step(`Agent running (${runner.name})`);
    // Written as it grows, so a worker that dies mid-run has counted what its agent spent.
    const running = new RunningUsage({ tasks: deps.tasks, taskId, run, logger: log, minIntervalMs: deps.usageWriteIntervalMs });
    const outcome = await consumeRunner(
      runner,
      {
        taskId,
        prompt: task.prompt,
        workdir: workspace?.dir,
        model: task.model ?? undefined,
        limits,
        repoMap: index?.repoMap({ budgetTokens: deps.repoMapTokens ?? 2000, query: task.prompt }),
        searchCode: index ? async (query) => index.search(query, 20) : undefined,
      },
      reporter,
      signal,
      {
        onStep: (text) => tracker?.step(text),
        // So far: a run that throws before its result still has its spend recorded (catch below).
        onUsage: (spent) => {
          usage = spent;
          running.offer(spent);
        },
      },
      // The agent is done either way: its last figure (with the price, from its result) is written
      // now, not only with the verdict after publishing, which may take a while.
    ).finally(() => running.close());
    usage = outcome.usage;
    model = outcome.model ?? model;
    if (!outcome.ok) {
      // A runner stopped by our own shutdown is handed over, not failed.
      throw signal.aborted ? abortError(signal) : new PermanentJobError(outcome.errorCode ?? 'RUNNER_FAILED', outcome.summary);
    }
    // Cancelled after the agent finished: nothing is pushed.
    throwIfStopped(signal);
    // The point of no return: a cancel the API accepted until now throws here, with nothing
    // published; once this passes the API refuses cancels and the result is published in full.
    await startPublishing(deps.tasks, taskId);
    publishing = true;
    stopWatching?.();
    await reporter.log('publishing', 'Publishing the result; from now on the task can no longer be cancelled');

    const published = workspace
      ? await publishChanges(deps, task, workspace, outcome.summary, thread, base)
      : { changedFiles: [] };
    if (published.branch) {
      const text = `Pushed ${published.changedFiles.length} changed file(s) to \`${published.branch}\``;
      await reporter.log('changes.pushed', text, { ...published });
      tracker?.step(text);
    }
    // Each answer is posted at most once per task: a later attempt (this job taken over after its
    // worker died here) finds the earlier answer instead of posting it again. Only a task whose row
    // said publishing when this run began can have one (publishing_at is never cleared).
    const earlierPublish = task.publishingAt !== null;
    const replyUrl = await replyInReviewThread(
      deps,
      task,
      thread,
      { summary: outcome.summary, note: base.note, pullRequestUrl: published.pullRequestUrl },
      reporter,
      earlierPublish,
    );
    // No note here: only GitHub pull requests set one, and replyToSource answers Slack, Jira and Sentry.
    const sourceReplyUrl = await replyToSource(
      deps,
      task,
      reporter,
      published.pullRequestUrl ? `${outcome.summary}\n\nPull request: ${published.pullRequestUrl}` : outcome.summary,
      { answer: true, earlierPublish },
    );
    // The row first: the comment and the log then say what it says.
    ended = await settleTask(deps.tasks, taskId, run, {
      kind: 'succeeded',
      usage,
      result: {
        summary: outcome.summary,
        runner: runner.name,
        model,
        sessionId: outcome.sessionId,
        commentUrl: tracker?.url,
        pullRequestUrl: published.pullRequestUrl,
        branch: published.branch,
        commit: published.commit,
        changedFiles: published.changedFiles,
        replyUrl: replyUrl ?? sourceReplyUrl,
      },
    });
    await reportEnding(ending(), ended, { summary: outcome.summary, note: base.note, pullRequestUrl: published.pullRequestUrl });
    if (ended.as !== 'succeeded') {
      throw jobErrorFor(ended, undefined, { code: 'TASK_NOT_RUNNING', message: 'settled elsewhere', final: true });
    }
  } catch (caught) {
    // The row was settled and reported above; only the job's own outcome is left to say.
    if (ended) throw caught;
    // A cancel wins over whatever the stopped step threw on its way out.
    const error = cancel.signal.aborted || (signal.aborted && !(caught instanceof AppError)) ? abortError(signal) : caught;
    const code = errorCodeOf(error);
    const message = error instanceof Error ? error.message : String(error);
    const final =
      error instanceof PermanentJobError || (error instanceof AppError && error.expected) || job.attempt >= job.maxAttempts;
    if (code === 'TASK_ABANDONED') {
      // The job stays locked in the queue and another worker takes it over; the task is not over.
      await reporter.log('abandoned', message);
      log.warn({ code }, `task attempt abandoned: ${message}`);
      throw error;
    }
    // The row decides; a cancel that landed while this failure was on its way wins, and the
    // comment, replies and log then say cancelled (and the other way round).
    ended =
      code === 'TASK_NOT_RUNNING'
        ? await settleSuperseded(deps.tasks, taskId, run, usage)
        : await settleTask(
            deps.tasks,
            taskId,
            run,
            code === 'TASK_CANCELLED'
              ? { kind: 'cancelled', message, usage }
              : final
                ? { kind: 'failed', code, message, usage }
                : { kind: 'retrying', code, message, usage },
          );
    await reportEnding(ending(), ended, { summary: message, code });
    log.warn({ code, ended: ended.as }, `task attempt failed: ${message}`);
    throw jobErrorFor(ended, error, { code, message, final });
  } finally {
    stopWatching?.();
    clearInterval(heartbeat);
    deps.metrics.tasksActive.dec();
    await workspace?.release().catch((error: unknown) => log.warn({ err: error }, 'workspace not released'));
  }
}

async function checkMonthlyBudget(deps: RunTaskDeps, task: Task): Promise<void> {
  const budget = deps.monthlyBudget;
  if (!budget || budget.limitUsd <= 0 || !task.installationId) return;
  const spent = await budget.spend.monthToDateUsd(task.installationId);
  if (spent >= budget.limitUsd) {
    throw new PermanentJobError(
      'BUDGET_MONTHLY',
      `this installation has spent $${spent.toFixed(2)} of its $${budget.limitUsd.toFixed(2)} monthly budget (INSTALLATION_MONTHLY_BUDGET_USD)`,
    );
  }
}

function throwIfStopped(signal: AbortSignal): void {
  if (signal.aborted) throw abortError(signal);
}

function abortError(signal: AbortSignal): AppError {
  if (signal.reason instanceof TaskCancelRequest) return new PermanentJobError('TASK_CANCELLED', signal.reason.message);
  const reason = signal.reason instanceof Error ? signal.reason.message : 'aborted';
  if (reason.includes('shutting down')) return new AppError('TASK_ABANDONED', `worker shut down: ${reason}`);
  return new PermanentJobError('TASK_TIMEOUT', `task stopped: ${reason}`);
}
