import type { GitHubResults, IssueThreadRef, Task } from '@agent-bot/contracts';
import { threadOf } from './tracking-comment.js';

/** A pull request review thread: the pull request, and the thread's first comment replies go to. */
export interface ReviewThreadRef extends IssueThreadRef {
  commentId: number;
}

/** Where a task from a review comment answers; null for every other task. */
export function reviewThreadOf(task: Task): ReviewThreadRef | null {
  const thread = threadOf(task);
  const commentId = Number(task.context.threadCommentId ?? task.context.reviewCommentId);
  if (!thread || !Number.isInteger(commentId) || commentId <= 0) return null;
  return { ...thread, commentId };
}

/**
 * The hidden marker of a task's answer in its review thread: how a later attempt finds the answer
 * an earlier one posted. Not put on ending notices (failed, cancelled, stalled), which may follow it.
 */
export const reviewReplyMarker = (taskId: string) => `<!-- agent-bot:reply:${taskId} -->`;

/** Posts `body` in the review thread; the reply's URL. */
export async function postInReviewThread(results: GitHubResults, thread: ReviewThreadRef, body: string): Promise<string> {
  const posted = await results.replyToReviewComment({
    installationId: thread.installationId,
    repo: thread.repo,
    pullNumber: thread.issueNumber,
    commentId: thread.commentId,
    body,
  });
  return posted.url;
}

/** How a task ended without a result, for the thread that asked for it. */
export interface UnsuccessfulEnding {
  kind: 'failed' | 'cancelled' | 'stalled';
  /** The error code (failed) or the reason (cancelled); the tracking comment has the rest. */
  code?: string;
  message: string;
  /** The tracking comment (or, if it could not be written, the task page): where the details are. */
  detailsUrl: string;
}

const REASON_MAX_CHARS = 300;

/**
 * A reviewer reading only the thread must not wait for an answer that is not coming. Short on
 * purpose: one line of why, and the link to the tracking comment with the steps, the limit or
 * cause and how to retry.
 */
export function unsuccessfulReplyBody(ending: UnsuccessfulEnding): string {
  const firstLine = ending.message.split('\n')[0] ?? '';
  const reason = firstLine.length > REASON_MAX_CHARS ? `${firstLine.slice(0, REASON_MAX_CHARS - 1)}…` : firstLine;
  const head =
    ending.kind === 'cancelled'
      ? 'agent-bot was cancelled'
      : ending.kind === 'stalled'
        ? 'agent-bot stalled (`TASK_STALLED`)'
        : `agent-bot failed${ending.code ? ` (\`${ending.code}\`)` : ''}`;
  return `${head}: ${reason}\n\nDetails and how to retry: ${ending.detailsUrl}`;
}
