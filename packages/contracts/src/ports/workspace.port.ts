/** A repository checked out for one task, on its own branch, holding nothing from earlier tasks. */
export interface TaskWorkspace {
  repo: string;
  /** Working tree the agent may change. */
  dir: string;
  /** `agent-bot/<task-id>`: the branch a commit is made and pushed on. */
  branch: string;
  /** Branch the task started from (the pull request's base). */
  baseBranch: string;
  baseCommit: string;
  /** Paths changed, added or deleted in the working tree relative to the base commit. */
  changedFiles(): Promise<string[]>;
  /**
   * Commits every change on `branch` and pushes it with `token` (fetched fresh by the caller).
   * Returns null when nothing changed. Safe to call again: the push replaces the branch.
   */
  commitAndPush(input: { message: string; token?: string; author: { name: string; email: string } }): Promise<{
    commit: string;
    branch: string;
  } | null>;
  /** Gives the worktree back to the pool (its lock is released; files stay for the next task to reset). */
  release(): Promise<void>;
}

export interface PrepareWorkspaceInput {
  repo: string;
  taskId: string;
  /** Branch to start from; the repository's default branch when absent. */
  baseBranch?: string;
  /** Token for fetching a private repository; used for this fetch only. */
  token?: string;
}

/** Mirrors and pooled worktrees (packages/workspace). */
export interface Workspaces {
  prepare(input: PrepareWorkspaceInput): Promise<TaskWorkspace>;
}
