import { type IssueThreadRef, type Task, type TaskWorkspace, errorCodeOf } from '@agent-bot/contracts';
import type { RunTaskDeps } from './pipeline-deps.js';
import type { PostedReplyData } from './reply-to-source.js';
import { reviewReplyMarker, reviewThreadOf } from './review-thread.js';
import type { TaskReporter } from './task-reporter.js';
import type { WorkBase } from './work-base.js';

export interface PublishedChanges {
  changedFiles: string[];
  commit?: string;
  branch?: string;
  pullRequestUrl?: string;
}

const DEFAULT_AUTHOR = { name: 'agent-bot', email: 'agent-bot@users.noreply.github.com' };

/**
 * When the agent changed files: commit on the task branch, push with a freshly minted
 * installation token (a long run may outlive the first), open the pull request (or find the one
 * a previous attempt opened).
 */
export async function publishChanges(
  deps: RunTaskDeps,
  task: Task,
  workspace: TaskWorkspace,
  summary: string,
  thread: IssueThreadRef | null,
  base: WorkBase = {},
): Promise<PublishedChanges> {
  const changedFiles = await workspace.changedFiles();
  if (changedFiles.length === 0) return { changedFiles };
  const token =
    deps.github && task.installationId
      ? (await deps.github.tokens.get(task.installationId, { minRemainingMs: 10 * 60_000 })).token
      : undefined;
  const title = (task.title ?? task.prompt.split('\n')[0] ?? 'agent-bot change').slice(0, 200);
  const pushed = await workspace.commitAndPush({
    message: `${title}\n\n${summary.slice(0, 2000)}\n\nagent-bot task ${task.id}`,
    token,
    author: deps.commitAuthor ?? DEFAULT_AUTHOR,
  });
  if (!pushed) return { changedFiles };
  if (!deps.github || !task.installationId || !task.repo) return { changedFiles, ...pushed };

  const link =
    base.stackedOn !== undefined
      ? `Stacked on #${base.stackedOn}: merging this puts the change on its branch \`${workspace.baseBranch}\`.`
      : thread
        ? task.context.isPullRequest
          ? `Follow-up to #${thread.issueNumber}.`
          : `Closes #${thread.issueNumber}.`
        : '';
  const taskUrl = deps.publicUrl ? `${deps.publicUrl.replace(/\/+$/, '')}/tasks/${task.id}` : undefined;
  const pull = await deps.github.results.openPullRequest({
    installationId: task.installationId,
    repo: task.repo,
    head: pushed.branch,
    base: workspace.baseBranch,
    title: `agent-bot: ${title}`,
    body: [summary.slice(0, 6000), '', link, base.note ?? '', taskUrl ? `Task: ${taskUrl}` : ''].filter(Boolean).join('\n'),
    draft: deps.pullRequestDraft ?? false,
  });

  return { changedFiles, ...pushed, pullRequestUrl: pull.url };
}

/** What the review-thread reply says: the answer, why the change went where it did, the pull request. */
export interface ReviewThreadReply {
  summary: string;
  /** Why the task did not work on the pull request's branch (a fork); see WorkBase.note. */
  note?: string;
  pullRequestUrl?: string;
}

/** A reply is cut to this; the summary gives way so the note and the link always survive. */
const REVIEW_REPLY_MAX_CHARS = 6000;

/**
 * On a review comment, the answer goes into that review thread too. A reviewer reading only the
 * thread must learn why a fork's change landed in a separate pull request against the default
 * branch, so the note the tracking comment carries is repeated here.
 *
 * Posted once per task: the reply carries the task's hidden marker, and an attempt that finds a
 * reply with it (an earlier attempt posted it and died before settling the task) returns that one.
 * Only a task an earlier attempt began publishing (`earlierPublish`) is searched for one; on a first
 * publish nothing can be there. Best effort like the other replies: a failure is on the task's log,
 * the task's outcome stands.
 */
export async function replyInReviewThread(
  deps: RunTaskDeps,
  task: Task,
  thread: IssueThreadRef | null,
  reply: ReviewThreadReply,
  reporter: TaskReporter,
  earlierPublish: boolean,
): Promise<string | undefined> {
  const review = reviewThreadOf(task);
  if (!deps.github || !thread || !review) return undefined;
  try {
    const posted = await deps.github.results.replyToReviewComment({
      installationId: review.installationId,
      repo: review.repo,
      pullNumber: review.issueNumber,
      commentId: review.commentId,
      body: reviewReplyBody(reply),
      marker: reviewReplyMarker(task.id),
      lookForEarlier: earlierPublish,
    });
    const data: PostedReplyData = { channel: 'review-thread', answer: true, url: posted.url };
    if (posted.alreadyPosted) {
      await reporter.log('reply.already_posted', 'answer already posted in the review thread by an earlier attempt', { ...data });
    } else {
      await reporter.log('reply.posted', 'answer posted in the review thread', { ...data });
    }
    return posted.url;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn({ err: error, taskId: task.id }, 'review-thread answer not posted');
    await reporter.log('reply.failed', `answer not posted in the review thread: ${message}`, {
      channel: 'review-thread',
      code: errorCodeOf(error),
    });
    return undefined;
  }
}

/** The reply's text: the summary, then the note as a quote, then the link to the pull request. */
export function reviewReplyBody(reply: ReviewThreadReply): string {
  const trailer = [reply.note ? `> ${reply.note}` : '', reply.pullRequestUrl ? `Changes: ${reply.pullRequestUrl}` : '']
    .filter(Boolean)
    .map((line) => `\n\n${line}`)
    .join('');
  return reply.summary.slice(0, REVIEW_REPLY_MAX_CHARS - trailer.length) + trailer;
}
