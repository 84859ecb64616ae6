/**
 * What the rest of the system needs from GitHub, implemented by packages/github with Octokit.
 * Use cases depend on these ports; tests of use cases may use in-memory implementations, the
 * Octokit implementation is tested against a local GitHub stand-in checked against GitHub's OpenAPI.
 */

export type RepoPermission = 'admin' | 'maintain' | 'write' | 'triage' | 'read' | 'none';

export interface RepositoryPermissions {
  /** Permission of `login` on `repo` (owner/name), asked through the installation's token. */
  permissionOf(input: { installationId: string; repo: string; login: string }): Promise<RepoPermission>;
}

export interface InstallationToken {
  token: string;
  expiresAt: Date;
}

export interface InstallationTokens {
  /**
   * A token for the installation, minted anew when less than `minRemainingMs` (default 10
   * minutes) remain. Call again right before a push after a long run.
   */
  get(installationId: string, options?: { minRemainingMs?: number }): Promise<InstallationToken>;
}

export interface IssueThreadRef {
  installationId: string;
  repo: string;
  /** Issue or pull request number (pull requests are issues for comments). */
  issueNumber: number;
}

/** Posting a task's results back to GitHub; every method is idempotent so a retried task posts once. */
export interface GitHubResults {
  /** Finds the comment holding `marker` (a hidden HTML comment) and edits it, or creates it. */
  upsertTrackingComment(ref: IssueThreadRef, marker: string, body: string): Promise<{ commentId: number; url: string }>;
  /** Opens a pull request from `head`, or returns the open one that already exists for it. */
  openPullRequest(input: {
    installationId: string;
    repo: string;
    head: string;
    base: string;
    title: string;
    body: string;
    draft: boolean;
  }): Promise<{ number: number; url: string }>;
  /**
   * Replies in the review thread of `commentId` on pull request `pullNumber`. With `marker` (a
   * hidden HTML comment naming the task, kept in the body) the reply is posted once: when one of the
   * app's review comments on the pull request already carries it (an earlier attempt posted it and
   * died before recording that), that one is returned with `alreadyPosted: true` and nothing is sent.
   * `lookForEarlier: false` skips that search (the pull request's review comments, paged) when no
   * earlier attempt can have posted; the reply still carries the marker for a later one.
   */
  replyToReviewComment(input: {
    installationId: string;
    repo: string;
    pullNumber: number;
    commentId: number;
    body: string;
    marker?: string;
    lookForEarlier?: boolean;
  }): Promise<{ id: number; url: string; alreadyPosted?: boolean }>;
  defaultBranch(input: { installationId: string; repo: string }): Promise<string>;
  /** Where pull request `pullNumber` of `repo` takes its changes from (a read, safe to repeat). */
  pullRequestHead(input: { installationId: string; repo: string; pullNumber: number }): Promise<PullRequestHead>;
}

export interface PullRequestHead {
  /** The head branch name (in the head repository). */
  ref: string;
  sha: string;
  /** False for a pull request from a fork (or a deleted one): the installation cannot push there. */
  sameRepository: boolean;
}
