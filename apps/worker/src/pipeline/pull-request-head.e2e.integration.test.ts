import { OllamaRunner } from '@agent-bot/runners';
import { type OllamaStandIn, type OllamaStep, startOllamaStandIn } from '@agent-bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  FAREWELL,
  FIXED_FAREWELL,
  FIX_FAREWELL_OLLAMA_SCRIPT,
  FIX_GREET_OLLAMA_SCRIPT,
  type Harness,
  PR_BRANCH,
  REPO,
  createHarness,
} from '../test-support/pipeline-harness.js';
import { trackingMarker } from './tracking-comment.js';

/**
 * A task from a pull request works on the pull request's head branch and stacks its own pull
 * request onto it; a pull request from a fork keeps the default branch and says why. Real queue,
 * worker, workspace and Octokit adapters; GitHub is the stand-in checked against @octokit/openapi.
 */
let h: Harness;
let ollama: OllamaStandIn | undefined;

beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await ollama?.close();
  ollama = undefined;
  await h.close();
});

async function startOllamaWorker(script: OllamaStep[]) {
  ollama = await startOllamaStandIn({ models: ['qwen-e2e'], script });
  await h.startWorker({
    runners: { ollama: new OllamaRunner({ url: ollama.url, model: 'qwen-e2e', maxTurns: 8 }) },
    defaultRunner: 'ollama',
  });
}

/** What the gateway records for an @mention in a pull request's conversation (issue_comment). */
const prCommentContext = { issueNumber: 5, isPullRequest: true, pullRequestNumber: 5, commentId: 901 };

describe('tasks from a pull request', () => {
  it('a comment on a pull request checks out its head branch and opens a pull request into it', async () => {
    const headSha = h.openPullRequest(5, `octo-org:${PR_BRANCH}`);
    await startOllamaWorker(FIX_FAREWELL_OLLAMA_SCRIPT);
    const task = await h.createTask({ kind: 'fix', prompt: 'Fix the farewell typo.', context: prCommentContext });
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);

    expect(done).toMatchObject({ status: 'succeeded', errorCode: null });
    expect(done.result).toMatchObject({ branch: `agent-bot/${task.id}`, changedFiles: ['src/farewell.ts'] });
    // The worker asked GitHub for the head (the comment's payload does not carry it).
    expect(h.gh.calls('pulls/get')).toHaveLength(1);
    // The agent read a file that exists only on the pull request's branch.
    const readResult = ollama?.chats[1]?.messages.at(-1)?.content;
    expect(readResult).toContain('"goodby"');
    // The task's commit sits on the PR head; the PR branch itself is untouched.
    expect(h.remote.revParse(REPO, `agent-bot/${task.id}^`)).toBe(headSha);
    expect(h.remote.show(REPO, `agent-bot/${task.id}`, 'src/farewell.ts')).toBe(FIXED_FAREWELL);
    expect(h.remote.show(REPO, PR_BRANCH, 'src/farewell.ts')).toBe(FAREWELL);
    // A stacked pull request: into the PR's head branch, saying so.
    const opened = h.gh.state.pulls.filter((p) => p.number !== 5);
    expect(opened).toHaveLength(1);
    expect(opened[0]).toMatchObject({ head: `octo-org:agent-bot/${task.id}`, base: PR_BRANCH });
    expect(opened[0]?.body).toContain(`Stacked on #5: merging this puts the change on its branch \`${PR_BRANCH}\``);
    // The reply stays in the pull request's conversation.
    const comments = h.gh.state.comments.filter((c) => c.body.includes(trackingMarker(task.id)));
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ repo: REPO, issueNumber: 5 });
    expect(comments[0]?.body).toContain(`${headSha.slice(0, 7)}\` (${PR_BRANCH})`);
    expect(comments[0]?.body).toContain(String(done.result.pullRequestUrl));
    expect(h.gh.violations()).toEqual([]);
  });

  it('a head branch the webhook carried is used without asking GitHub', async () => {
    const headSha = h.openPullRequest(5, `octo-org:${PR_BRANCH}`);
    await startOllamaWorker(FIX_FAREWELL_OLLAMA_SCRIPT);
    const task = await h.createTask({
      kind: 'fix',
      prompt: 'Fix the farewell typo.',
      context: { ...prCommentContext, baseBranch: PR_BRANCH, headSha, threadCommentId: undefined },
    });
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);
    expect(done).toMatchObject({ status: 'succeeded' });
    expect(h.gh.calls('pulls/get')).toHaveLength(0);
    expect(h.remote.revParse(REPO, `agent-bot/${task.id}^`)).toBe(headSha);
    expect(h.gh.state.pulls.find((p) => p.head === `octo-org:agent-bot/${task.id}`)).toMatchObject({ base: PR_BRANCH });
    expect(h.gh.violations()).toEqual([]);
  });

  it('a comment on a pull request from a fork works on the default branch and says why', async () => {
    h.openPullRequest(5, `contributor:${PR_BRANCH}`);
    await startOllamaWorker(FIX_GREET_OLLAMA_SCRIPT);
    const task = await h.createTask({ context: prCommentContext });
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);

    expect(done).toMatchObject({ status: 'succeeded' });
    expect(h.gh.calls('pulls/get')).toHaveLength(1);
    expect(h.remote.revParse(REPO, `agent-bot/${task.id}^`)).toBe(h.remote.revParse(REPO, 'main'));
    const opened = h.gh.state.pulls.find((p) => p.head === `octo-org:agent-bot/${task.id}`);
    expect(opened).toMatchObject({ base: 'main' });
    expect(opened?.body).toContain('comes from a fork');
    const comment = h.gh.state.comments.find((c) => c.body.includes(trackingMarker(task.id)))?.body;
    expect(comment).toContain('agent-bot finished');
    expect(comment).toContain('Pull request #5 comes from a fork, which agent-bot cannot push to');
    expect(h.gh.violations()).toEqual([]);
  });

  it('a review comment on a pull request from a fork is answered in its thread with why the change is elsewhere', async () => {
    h.openPullRequest(5, `contributor:${PR_BRANCH}`);
    const asked = h.gh.state.addReviewComment({ repo: REPO, pullNumber: 5, body: '@agent-bot fix greet', user: 'alice' });
    await startOllamaWorker(FIX_GREET_OLLAMA_SCRIPT);
    // What the gateway records for a pull_request_review_comment whose head is a fork.
    const task = await h.createTask({
      context: { ...prCommentContext, headFromFork: true, reviewCommentId: asked.id, threadCommentId: asked.id },
    });
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);

    expect(done).toMatchObject({ status: 'succeeded' });
    const opened = h.gh.state.pulls.find((p) => p.head === `octo-org:agent-bot/${task.id}`);
    expect(opened).toMatchObject({ base: 'main' });
    // A reviewer reading only the thread learns why the change is a separate PR against main.
    const replies = h.gh.state.reviewComments.filter((c) => c.inReplyToId === asked.id);
    expect(replies).toHaveLength(1);
    expect(replies[0]?.body).toContain('Fixed greet.');
    expect(replies[0]?.body).toContain('> Pull request #5 comes from a fork, which agent-bot cannot push to');
    expect(replies[0]?.body).toContain(`Changes: ${done.result.pullRequestUrl}`);
    expect(done.result.replyUrl).toContain(`#discussion_r${replies[0]?.id}`);
    // A first publish posts without searching the pull request's review comments for an earlier answer.
    expect(h.gh.calls('pulls/list-review-comments')).toHaveLength(0);
    expect(h.gh.violations()).toEqual([]);
  });
});
