import type { GitHubPayload } from './github-payload.js';

/**
 * Where a task triggered from a pull request works: on the pull request's head branch, so the
 * agent sees the PR's changes and its own pull request is stacked onto that branch.
 *
 * - The payload carries the pull request (review comment, review, pull_request.*): the head branch
 *   becomes `baseBranch` when it lives in this same repository. A fork's branch cannot be pushed
 *   to by the installation, so a fork keeps the default branch and says so (`headFromFork`).
 * - An issue_comment on a pull request carries only `issue.pull_request`, not the head: only the
 *   number is recorded and the worker asks GitHub at run time (no lookup on the webhook path).
 */
export function pullRequestContext(payload: GitHubPayload, isPullRequest: boolean, number: number): Record<string, unknown> {
  if (!isPullRequest) return {};
  const head = payload.pull_request?.head;
  if (!head) return { pullRequestNumber: number };
  const repo = payload.repository?.full_name;
  const sameRepository = Boolean(repo && head.repo && head.repo.full_name.toLowerCase() === repo.toLowerCase());
  if (!sameRepository) return { pullRequestNumber: number, headFromFork: true };
  return { pullRequestNumber: number, baseBranch: head.ref, headSha: head.sha };
}
