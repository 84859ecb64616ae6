import type { Task } from '@agent-bot/contracts';
import type { RunTaskDeps } from './pipeline-deps.js';

/** Which branch a task checks out and opens its pull request into, and what to tell the user about it. */
export interface WorkBase {
  /** Undefined: the repository's default branch. */
  baseBranch?: string;
  /** The pull request whose head branch is the base (the task's pull request is stacked on it). */
  stackedOn?: number;
  /** Why the task does not work where the user may expect (a pull request from a fork). */
  note?: string;
}

export function forkNote(pullNumber: number): string {
  return `Pull request #${pullNumber} comes from a fork, which agent-bot cannot push to, so it worked on the default branch: any change is proposed against the default branch, not the pull request's branch.`;
}

/**
 * A task from a pull request works on its head branch (so the agent sees the PR's changes and
 * its own pull request is stacked onto that branch). The gateway puts the branch into the context
 * when the webhook carried it; a comment on a pull request carries only the number, so the head is
 * asked of GitHub here, at run time, never on the webhook path. A fork keeps the default branch.
 */
export async function resolveWorkBase(deps: Pick<RunTaskDeps, 'github'>, task: Task): Promise<WorkBase> {
  const context = task.context;
  const pullNumber = Number(context.pullRequestNumber);
  const fromPullRequest = Number.isInteger(pullNumber) && pullNumber > 0;
  if (typeof context.baseBranch === 'string') {
    return { baseBranch: context.baseBranch, stackedOn: fromPullRequest ? pullNumber : undefined };
  }
  if (!fromPullRequest) return {};
  if (context.headFromFork === true) return { note: forkNote(pullNumber) };
  if (!deps.github || !task.installationId || !task.repo) return {};
  const head = await deps.github.results.pullRequestHead({
    installationId: task.installationId,
    repo: task.repo,
    pullNumber,
  });
  if (!head.sameRepository) return { note: forkNote(pullNumber) };
  return { baseBranch: head.ref, stackedOn: pullNumber };
}
