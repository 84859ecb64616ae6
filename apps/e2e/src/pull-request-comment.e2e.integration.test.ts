import { OllamaRunner } from '@agent-bot/runners';
import { type OllamaStandIn, startOllamaStandIn } from '@agent-bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { trackingMarker } from '../../worker/src/pipeline/tracking-comment.js';
import {
  FAREWELL,
  FIXED_FAREWELL,
  FIX_FAREWELL_OLLAMA_SCRIPT,
  PR_BRANCH,
  REPO,
} from '../../worker/src/test-support/pipeline-harness.js';
import { type Stack, mentionWebhook, startStack } from './test-support/stack.js';

let stack: Stack;
let ollama: OllamaStandIn | undefined;

beforeEach(async () => {
  stack = await startStack();
});
afterEach(async () => {
  await ollama?.close();
  ollama = undefined;
  await stack.close();
});

describe('signed mention in a pull request conversation -> gateway -> worker -> stacked pull request', () => {
  it('works on the pull request head and opens its pull request into that branch', async () => {
    const { h } = stack;
    // GitHub's published issue_comment example, on a pull request this time (issue.pull_request set).
    const webhook = mentionWebhook(h.installationId, (payload) => {
      payload.issue.pull_request = {
        url: `https://api.github.com/repos/${REPO}/pulls/${payload.issue.number}`,
        html_url: `https://github.com/${REPO}/pull/${payload.issue.number}`,
      };
    });
    const headSha = h.openPullRequest(webhook.issueNumber, `octo-org:${PR_BRANCH}`);
    ollama = await startOllamaStandIn({ models: ['qwen-e2e'], script: FIX_FAREWELL_OLLAMA_SCRIPT });
    await h.startWorker({
      runners: { ollama: new OllamaRunner({ url: ollama.url, model: 'qwen-e2e', maxTurns: 8 }) },
      defaultRunner: 'ollama',
    });

    const { status, answer } = await stack.deliver('issue_comment', webhook.body);
    expect(status).toBe(200);
    expect(answer.status).toBe('enqueued');
    const done = await h.waitForFinal(answer.task_id);

    expect(done).toMatchObject({ status: 'succeeded', errorCode: null });
    expect(done.context).toMatchObject({ isPullRequest: true, pullRequestNumber: webhook.issueNumber });
    // The gateway decided without GitHub; the worker asked for the head once.
    expect(h.gh.calls('pulls/get')).toHaveLength(1);
    expect(ollama.chats[1]?.messages.at(-1)?.content).toContain(FAREWELL.trim());
    expect(h.remote.revParse(REPO, `agent-bot/${answer.task_id}^`)).toBe(headSha);
    expect(h.remote.show(REPO, `agent-bot/${answer.task_id}`, 'src/farewell.ts')).toBe(FIXED_FAREWELL);
    const opened = h.gh.state.pulls.find((p) => p.head === `octo-org:agent-bot/${answer.task_id}`);
    expect(opened).toMatchObject({ base: PR_BRANCH });
    expect(opened?.body).toContain(`Stacked on #${webhook.issueNumber}`);
    const comments = h.gh.state.comments.filter((c) => c.body.includes(trackingMarker(answer.task_id)));
    expect(comments).toHaveLength(1);
    expect(comments[0]).toMatchObject({ repo: REPO, issueNumber: webhook.issueNumber });
    expect(comments[0]?.body).toContain('agent-bot finished');
    expect(h.gh.violations()).toEqual([]);
  });
});
