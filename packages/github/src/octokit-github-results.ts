import type { GitHubResults, IssueThreadRef, PullRequestHead } from '@agent-bot/contracts';
import { statusOf, toGitHubError } from './github-errors.js';
import { type InstallationOctokits, splitRepo } from './installation-octokit.js';

/** Posting results back through an installation; each method is safe to repeat. */
export class OctokitGitHubResults implements GitHubResults {
  constructor(private readonly octokits: InstallationOctokits) {}

  async upsertTrackingComment(ref: IssueThreadRef, marker: string, body: string): Promise<{ commentId: number; url: string }> {
    const octokit = this.octokits.for(ref.installationId);
    const target = { ...splitRepo(ref.repo), issue_number: ref.issueNumber };
    // The marker is how a retried task finds its comment again, so it is always in the body.
    const text = body.includes(marker) ? body : `${marker}\n${body}`;
    try {
      const comments = await octokit.paginate('GET /repos/{owner}/{repo}/issues/{issue_number}/comments', {
        ...target,
        per_page: 100,
      });
      // Only our own (bot) comments count: a human quoting the marker must not be edited.
      const existing = comments.find(
        (c) => c.body?.includes(marker) && (c.user?.type === 'Bot' || c.user?.login?.endsWith('[bot]')),
      );
      if (existing) {
        if (existing.body === text) return { commentId: Number(existing.id), url: existing.html_url };
        const { data } = await octokit.rest.issues.updateComment({
          ...splitRepo(ref.repo),
          comment_id: Number(existing.id),
          body: text,
        });
        return { commentId: data.id, url: data.html_url };
      }
      const { data } = await octokit.rest.issues.createComment({ ...target, body: text });
      return { commentId: data.id, url: data.html_url };
    } catch (error) {
      throw toGitHubError(error, `write the tracking comment on ${ref.repo}#${ref.issueNumber}`);
    }
  }

  async openPullRequest(input: Parameters<GitHubResults['openPullRequest']>[0]): Promise<{ number: number; url: string }> {
    const octokit = this.octokits.for(input.installationId);
    const { owner, repo } = splitRepo(input.repo);
    const head = input.head.includes(':') ? input.head : `${owner}:${input.head}`;
    const findOpen = async () => {
      const { data } = await octokit.rest.pulls.list({ owner, repo, head, state: 'open', per_page: 1 });
      const found = data[0];
      return found ? { number: found.number, url: found.html_url } : undefined;
    };
    try {
      const open = await findOpen();
      if (open) return open;
      const { data } = await octokit.rest.pulls.create({
        owner,
        repo,
        head,
        base: input.base,
        title: input.title,
        body: input.body,
        draft: input.draft,
      });
      return { number: data.number, url: data.html_url };
    } catch (error) {
      // Another attempt opened it between our list and create: GitHub answers 422; return that one.
      if (statusOf(error) === 422) {
        const open = await findOpen().catch(() => undefined);
        if (open) return open;
      }
      throw toGitHubError(error, `open a pull request from ${head} on ${input.repo}`);
    }
  }

  async replyToReviewComment(
    input: Parameters<GitHubResults['replyToReviewComment']>[0],
  ): Promise<{ id: number; url: string; alreadyPosted?: boolean }> {
    const octokit = this.octokits.for(input.installationId);
    const { marker } = input;
    const body = marker && !input.body.includes(marker) ? `${marker}\n${input.body}` : input.body;
    try {
      if (marker && input.lookForEarlier !== false) {
        // GitHub lists review comments per pull request, not per thread; the marker names the task,
        // so one of our comments carrying it anywhere on the pull request is this task's reply.
        const comments = await octokit.paginate('GET /repos/{owner}/{repo}/pulls/{pull_number}/comments', {
          ...splitRepo(input.repo),
          pull_number: input.pullNumber,
          per_page: 100,
        });
        // Only our own (bot) comments count: a human quoting the marker must not stop the reply.
        const existing = comments.find(
          (c) => c.body.includes(marker) && (c.user?.type === 'Bot' || c.user?.login?.endsWith('[bot]')),
        );
        if (existing) return { id: Number(existing.id), url: existing.html_url, alreadyPosted: true };
      }
      const { data } = await octokit.rest.pulls.createReplyForReviewComment({
        ...splitRepo(input.repo),
        pull_number: input.pullNumber,
        comment_id: input.commentId,
        body,
      });
      return { id: data.id, url: data.html_url };
    } catch (error) {
      throw toGitHubError(error, `reply to review comment ${input.commentId} on ${input.repo}#${input.pullNumber}`);
    }
  }

  async defaultBranch(input: { installationId: string; repo: string }): Promise<string> {
    const octokit = this.octokits.for(input.installationId);
    try {
      const { data } = await octokit.rest.repos.get(splitRepo(input.repo));
      return data.default_branch;
    } catch (error) {
      throw toGitHubError(error, `read the default branch of ${input.repo}`);
    }
  }

  async pullRequestHead(input: Parameters<GitHubResults['pullRequestHead']>[0]): Promise<PullRequestHead> {
    const octokit = this.octokits.for(input.installationId);
    try {
      const { data } = await octokit.rest.pulls.get({ ...splitRepo(input.repo), pull_number: input.pullNumber });
      // head.repo is null when the fork was deleted: nothing the installation can push to either.
      const headRepo = data.head.repo?.full_name.toLowerCase();
      return { ref: data.head.ref, sha: data.head.sha, sameRepository: headRepo === data.base.repo.full_name.toLowerCase() };
    } catch (error) {
      throw toGitHubError(error, `read the head of pull request ${input.repo}#${input.pullNumber}`);
    }
  }
}
