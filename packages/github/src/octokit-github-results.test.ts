import { createLogger } from '@agent-bot/observability';
import { type GitHubStandIn, startGitHubStandIn } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubAdapters, type GitHubAdapters } from './create-github-adapters.js';

describe('GitHub results and permissions against the stand-in', () => {
  let gh: GitHubStandIn;
  let adapters: GitHubAdapters;
  let installationId: string;
  const repo = 'octo-org/widgets';

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    const app = gh.state.createApp({ name: 'agent-bot' });
    installationId = String(gh.state.createInstallation({ appId: app.id, account: 'octo-org', repos: [repo] }).id);
    gh.state.createRepo({
      fullName: repo,
      defaultBranch: 'trunk',
      collaborators: { alice: 'admin', bob: 'maintain', carol: 'triage', dave: 'read' },
    });
    adapters = createGitHubAdapters({
      appId: String(app.id),
      privateKey: app.privateKey,
      baseUrl: gh.apiUrl,
      logger: createLogger({ name: 'test', level: 'silent' }),
    });
  });
  afterAll(async () => {
    await gh.close();
  });

  it('reads permission levels, with none for a stranger', async () => {
    const of = (login: string) => adapters.permissions.permissionOf({ installationId, repo, login });
    expect(await of('alice')).toBe('admin');
    expect(await of('bob')).toBe('maintain');
    expect(await of('carol')).toBe('triage');
    expect(await of('dave')).toBe('read');
    expect(await of('mallory')).toBe('none');
  });

  it('posts the tracking comment once and edits it afterwards, found past the first page', async () => {
    const ref = { installationId, repo, issueNumber: 7 };
    const marker = '<!-- agent-bot:task:t-1 -->';
    // A human quoting the marker must not be mistaken for ours.
    gh.state.addComment({ repo, issueNumber: 7, body: `quoting ${marker}`, user: 'mallory' });
    const first = await adapters.results.upsertTrackingComment(ref, marker, 'Working on it');
    for (let i = 0; i < 120; i++) gh.state.addComment({ repo, issueNumber: 7, body: `noise ${i}`, user: 'dave' });
    const second = await adapters.results.upsertTrackingComment(ref, marker, 'Done');
    const third = await adapters.results.upsertTrackingComment(ref, marker, 'Done');
    expect(second.commentId).toBe(first.commentId);
    expect(third.commentId).toBe(first.commentId);
    const ours = gh.state.comments.filter((c) => c.body.includes(marker) && c.user.endsWith('[bot]'));
    expect(ours).toHaveLength(1);
    expect(ours[0]?.body).toBe(`${marker}\nDone`);
    expect(gh.state.comments.find((c) => c.user === 'mallory')?.body).toBe(`quoting ${marker}`);
    expect(gh.calls('issues/create-comment')).toHaveLength(1);
    // The identical third write sent no edit.
    expect(gh.calls('issues/update-comment')).toHaveLength(1);
    expect(first.url).toContain(`/issues/7#issuecomment-${first.commentId}`);
  });

  it('opens a pull request once and returns the open one for the same head afterwards', async () => {
    const input = { installationId, repo, head: 'agent-bot/task-1', base: 'trunk', title: 'Fix', body: 'Body', draft: true };
    const opened = await adapters.results.openPullRequest(input);
    const again = await adapters.results.openPullRequest(input);
    expect(again).toEqual(opened);
    expect(gh.state.pulls.filter((p) => p.repo === repo)).toHaveLength(1);
    expect(gh.state.pulls[0]).toMatchObject({ head: 'octo-org:agent-bot/task-1', draft: true });
  });

  it('replies in a review thread and reads the default branch', async () => {
    const parent = gh.state.addReviewComment({ repo, pullNumber: 1, body: 'please rename', user: 'alice' });
    const reply = await adapters.results.replyToReviewComment({
      installationId,
      repo,
      pullNumber: 1,
      commentId: parent.id,
      body: 'Renamed.',
    });
    expect(gh.state.reviewComments.find((c) => c.id === reply.id)).toMatchObject({ inReplyToId: parent.id, body: 'Renamed.' });
    expect(await adapters.results.defaultBranch({ installationId, repo })).toBe('trunk');
  });

  it('replies in a review thread once per marker, finding its reply past the first page', async () => {
    const parent = gh.state.addReviewComment({ repo, pullNumber: 2, body: '@agent-bot fix this', user: 'alice' });
    const marker = '<!-- agent-bot:reply:t-2 -->';
    // A human quoting the marker must not be taken for our reply.
    gh.state.addReviewComment({ repo, pullNumber: 2, body: `quoting ${marker}`, user: 'mallory' });
    const input = { installationId, repo, pullNumber: 2, commentId: parent.id, body: 'Fixed.', marker };
    const first = await adapters.results.replyToReviewComment(input);
    for (let i = 0; i < 120; i++) gh.state.addReviewComment({ repo, pullNumber: 2, body: `noise ${i}`, user: 'dave' });
    const again = await adapters.results.replyToReviewComment(input);
    expect(first.alreadyPosted).toBeUndefined();
    expect(again).toEqual({ id: first.id, url: first.url, alreadyPosted: true });
    const ours = gh.state.reviewComments.filter((c) => c.body.includes(marker) && c.user.endsWith('[bot]'));
    expect(ours).toEqual([expect.objectContaining({ body: `${marker}\nFixed.`, inReplyToId: parent.id })]);
    expect(gh.calls('pulls/create-reply-for-review-comment').filter((c) => JSON.stringify(c.body).includes(marker))).toHaveLength(
      1,
    );
    expect(gh.calls('pulls/list-review-comments').length).toBeGreaterThanOrEqual(3);
    expect(gh.violations()).toEqual([]);
  });

  it('turns a missing repository into a clear error', async () => {
    await expect(adapters.results.defaultBranch({ installationId, repo: 'octo-org/absent' })).rejects.toMatchObject({
      code: 'GITHUB_NOT_FOUND',
    });
  });

  it('reads a pull request head and tells a same-repository branch from a fork', async () => {
    const sha = 'a'.repeat(40);
    gh.state.addPull({ repo, number: 41, head: 'octo-org:feature/login', base: 'trunk', headSha: sha });
    gh.state.addPull({ repo, number: 42, head: 'contributor:patch-1', base: 'trunk' });
    gh.state.addPull({ repo, number: 43, head: 'gone:patch-2', base: 'trunk', headRepo: null });
    const head = (pullNumber: number) => adapters.results.pullRequestHead({ installationId, repo, pullNumber });
    expect(await head(41)).toEqual({ ref: 'feature/login', sha, sameRepository: true });
    expect(await head(42)).toMatchObject({ ref: 'patch-1', sameRepository: false });
    expect(await head(43)).toMatchObject({ ref: 'patch-2', sameRepository: false });
    await expect(head(999)).rejects.toMatchObject({ code: 'GITHUB_NOT_FOUND' });
    expect(gh.calls('pulls/get').length).toBeGreaterThanOrEqual(4);
  });

  it("sent only requests that GitHub's REST description allows", () => {
    expect(gh.requests.length).toBeGreaterThan(10);
    expect(gh.violations()).toEqual([]);
  });
});
