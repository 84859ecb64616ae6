/** The slices of GitHub webhook payloads the normaliser reads; everything else stays opaque. */
export interface GitHubUser {
  id?: number;
  login: string;
  type?: string;
}

export interface GitHubLabel {
  name: string;
}

export interface GitHubIssueLike {
  number: number;
  title: string;
  body?: string | null;
  html_url?: string;
  user?: GitHubUser | null;
  author_association?: string;
  labels?: GitHubLabel[];
  pull_request?: unknown;
}

/** Where a pull request's changes live: the branch and the repository holding it (null: a deleted fork). */
export interface GitHubPullRequestHead {
  ref: string;
  sha?: string;
  repo?: { full_name: string } | null;
}

export interface GitHubPullRequest extends GitHubIssueLike {
  head?: GitHubPullRequestHead;
}

export interface GitHubComment {
  id: number;
  body?: string | null;
  html_url?: string;
  user?: GitHubUser | null;
  author_association?: string;
  in_reply_to_id?: number;
  path?: string;
  line?: number | null;
  commit_id?: string;
  pull_request_review_id?: number | null;
}

export interface GitHubPayload {
  action?: string;
  installation?: { id: number };
  repository?: { full_name: string };
  sender?: GitHubUser;
  issue?: GitHubIssueLike;
  pull_request?: GitHubPullRequest;
  comment?: GitHubComment;
  review?: GitHubComment & { state?: string };
  label?: GitHubLabel;
  assignee?: GitHubUser | null;
}
