import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { decideWithoutLookups } from '../../use-cases/decide-without-lookups.js';
import { InMemoryRepositoryPermissions } from '../../test-support/in-memory-permissions.js';
import type { NormaliseContext } from '../provider.js';
import { createGitHubAdapter } from './github-adapter.js';

/**
 * Where a PR-triggered task works, decided from GitHub's published payloads (npm
 * @octokit/webhooks-examples) the way the live path decides: through decideWithoutLookups, whose
 * ports refuse any call, so a head branch found here was found without a GitHub lookup.
 */
// biome-ignore lint/suspicious/noExplicitAny: published webhook examples are arbitrary JSON
type Any = Record<string, any>;
const corpus = JSON.parse(
  readFileSync(createRequire(import.meta.url).resolve('@octokit/webhooks-examples/api.github.com/index.json'), 'utf8'),
) as Array<{ name: string; examples: Any[] }>;

function example(event: string, action: string, mention = true): Any {
  const found = corpus.find((g) => g.name === event)?.examples.find((e) => e.action === action);
  if (!found) throw new Error(`no ${event}.${action} example`);
  const copy = structuredClone(found);
  for (const field of ['comment', 'review']) {
    if (mention && copy[field]) copy[field].body = `@agent-bot fix this\n\n${copy[field].body ?? ''}`;
  }
  return copy;
}

/** The same payload as if the pull request came from `owner`'s fork. */
function fromFork(payload: Any, owner = 'contributor'): Any {
  const copy = structuredClone(payload);
  copy.pull_request.head.repo.full_name = `${owner}/${copy.repository.name}`;
  copy.pull_request.head.repo.owner.login = owner;
  copy.pull_request.head.label = `${owner}:${copy.pull_request.head.ref}`;
  return copy;
}

const adapter = createGitHubAdapter({ secret: 'unused' });
const context: NormaliseContext = {
  triggers: { botHandle: 'agent-bot', botLabel: 'bug' },
  // Used only by labelContext: a label has no author_association, so its sender is looked up.
  permissions: new InMemoryRepositoryPermissions({ Codertocat: 'write' }),
  installations: undefined as never,
};

async function taskContext(event: string, payload: Any): Promise<Record<string, unknown>> {
  const outcome = await decideWithoutLookups(
    adapter,
    { payload, headers: { 'x-github-event': event } },
    { deliveryId: 'd-1', event, action: payload.action ?? null },
    context,
  );
  if (outcome?.kind !== 'task') throw new Error(`expected a task without lookups, got ${JSON.stringify(outcome)}`);
  return outcome.request.context ?? {};
}

/** A label trigger asks the permission port about its sender, so it is normalised after storing. */
async function labelContext(payload: Any): Promise<Record<string, unknown>> {
  const delivery = { deliveryId: 'd-2', event: 'pull_request', action: payload.action ?? null };
  const outcome = await adapter.normalise({ payload, headers: { 'x-github-event': 'pull_request' } }, delivery, context);
  if (outcome.kind !== 'task') throw new Error(`expected a task, got ${JSON.stringify(outcome)}`);
  return outcome.request.context ?? {};
}

describe('PR-triggered tasks work on the pull request head', () => {
  it('a review comment on a same-repository pull request works on its head branch', async () => {
    const payload = example('pull_request_review_comment', 'created');
    expect(payload.pull_request.head.repo.full_name).toBe(payload.repository.full_name);
    const ctx = await taskContext('pull_request_review_comment', payload);
    expect(ctx).toMatchObject({
      isPullRequest: true,
      issueNumber: payload.pull_request.number,
      pullRequestNumber: payload.pull_request.number,
      baseBranch: payload.pull_request.head.ref,
      headSha: payload.pull_request.head.sha,
    });
    expect(ctx.headFromFork).toBeUndefined();
    // Replies still go to the review thread, as before.
    expect(ctx.threadCommentId).toBe(payload.comment.id);
  });

  it('a review and the bot label on a same-repository pull request do too', async () => {
    const review = await taskContext('pull_request_review', example('pull_request_review', 'submitted'));
    expect(review).toMatchObject({ baseBranch: 'changes', pullRequestNumber: 2 });
    // `bug` is the corpus's label: the example is the bot label unmodified.
    const labeled = await labelContext(example('pull_request', 'labeled', false));
    expect(labeled).toMatchObject({ baseBranch: 'changes', pullRequestNumber: 2, trigger: 'label bug' });
  });

  it('a pull request from a fork keeps the default branch and records why', async () => {
    for (const [event, action] of [
      ['pull_request_review_comment', 'created'],
      ['pull_request_review', 'submitted'],
    ] as const) {
      const ctx = await taskContext(event, fromFork(example(event, action)));
      expect(ctx).toMatchObject({ isPullRequest: true, pullRequestNumber: 2, headFromFork: true });
      expect(ctx).not.toHaveProperty('baseBranch');
    }
    expect(await labelContext(fromFork(example('pull_request', 'labeled', false)))).toMatchObject({ headFromFork: true });
    // A fork deleted since (head.repo null) cannot be pushed to either.
    const gone = example('pull_request_review_comment', 'created');
    gone.pull_request.head.repo = null;
    expect(await taskContext('pull_request_review_comment', gone)).toMatchObject({ headFromFork: true });
  });

  it('a comment on a pull request records its number for the worker to resolve, without a lookup here', async () => {
    const payload = example('issue_comment', 'created');
    payload.issue.pull_request = {
      url: `https://api.github.com/repos/${payload.repository.full_name}/pulls/${payload.issue.number}`,
      html_url: `https://github.com/${payload.repository.full_name}/pull/${payload.issue.number}`,
    };
    const ctx = await taskContext('issue_comment', payload);
    expect(ctx).toMatchObject({ isPullRequest: true, pullRequestNumber: payload.issue.number });
    expect(ctx).not.toHaveProperty('baseBranch');
    expect(ctx).not.toHaveProperty('headFromFork');
  });

  it('a comment on an issue stays on the default branch with no pull request recorded', async () => {
    const ctx = await taskContext('issue_comment', example('issue_comment', 'created'));
    expect(ctx).toMatchObject({ isPullRequest: false });
    expect(ctx).not.toHaveProperty('pullRequestNumber');
    expect(ctx).not.toHaveProperty('baseBranch');
  });
});
