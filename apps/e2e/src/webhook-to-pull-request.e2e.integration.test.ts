import { OllamaRunner } from '@agent-bot/runners';
import {
  type AnthropicStandIn,
  type OllamaStandIn,
  startAnthropicStandIn,
  startOllamaStandIn,
  waitFor,
} from '@agent-bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { TestGateway } from '../../gateway/src/test-support/test-gateway.js';
import { trackingMarker } from '../../worker/src/pipeline/tracking-comment.js';
import {
  FIXED_GREET,
  FIX_GREET_OLLAMA_SCRIPT,
  type Harness,
  PUBLIC_URL,
  REPO,
  fixGreetClaudeScript,
} from '../../worker/src/test-support/pipeline-harness.js';
import { type Stack, startStack } from './test-support/stack.js';

let stack: Stack;
let gw: TestGateway;
let h: Harness;
let anthropic: AnthropicStandIn | undefined;
let ollama: OllamaStandIn | undefined;

beforeEach(async () => {
  stack = await startStack();
  ({ gw, h } = stack);
});
afterEach(async () => {
  await anthropic?.close();
  await ollama?.close();
  anthropic = undefined;
  ollama = undefined;
  await stack.close();
});

/** Posts the signed delivery over HTTP; the gateway answers that it queued a task. */
async function deliverMention(): Promise<{ deliveryId: string; taskId: string }> {
  const { deliveryId, status, answer } = await stack.deliverMention();
  expect(status).toBe(200);
  expect(answer.status).toBe('enqueued');
  return { deliveryId, taskId: answer.task_id };
}

/** Everything the delivery must have led to, whichever runner did the work. */
async function expectDelivered(deliveryId: string, taskId: string, runner: string) {
  const done = await h.waitForFinal(taskId);
  expect(done).toMatchObject({ status: 'succeeded', errorCode: null, source: 'github', repo: REPO, requestedBy: 'Codertocat' });
  expect(done.inputTokens).toBeGreaterThan(0);
  expect(done.outputTokens).toBeGreaterThan(0);
  expect(done.result).toMatchObject({ runner, branch: `agent-bot/${taskId}`, changedFiles: ['src/greet.ts'] });
  // The commit is on the bare repository standing in for github.com; main is untouched.
  expect(h.remote.show(REPO, `agent-bot/${taskId}`, 'src/greet.ts')).toBe(FIXED_GREET);
  expect(h.remote.show(REPO, 'main', 'src/greet.ts')).toContain('"helo"');
  // One pull request linked to the example's issue, one tracking comment on that issue.
  expect(h.gh.state.pulls).toHaveLength(1);
  expect(h.gh.state.pulls[0]).toMatchObject({ head: `octo-org:agent-bot/${taskId}`, base: 'main' });
  expect(h.gh.state.pulls[0]?.body).toContain('Closes #1');
  const comments = h.gh.state.comments.filter((c) => c.body.includes(trackingMarker(taskId)));
  expect(comments).toHaveLength(1);
  expect(comments[0]).toMatchObject({ repo: REPO, issueNumber: 1 });
  expect(comments[0]?.body).toContain('agent-bot finished');
  expect(comments[0]?.body).toContain(`${PUBLIC_URL}/tasks/${taskId}`);
  expect(comments[0]?.body).toContain(String(done.result.pullRequestUrl));
  // Every request the worker made to the GitHub stand-in matched @octokit/openapi.
  expect(h.gh.violations()).toEqual([]);
  // The inbox row records the delivery as enqueued with this task.
  const delivery = await waitFor(
    'delivery marked enqueued',
    async () => {
      const [row] = await gw.db.sql<{ status: string; task_id: string | null }[]>`
        select status, task_id from deliveries where provider = 'github' and delivery_id = ${deliveryId}`;
      return row?.status === 'enqueued' ? row : null;
    },
    { timeoutMs: 5000, intervalMs: 50 },
  );
  expect(delivery.task_id).toBe(taskId);
  const events = await gw.db.sql<{ kind: string }[]>`select kind from task_events where task_id = ${taskId} order by id`;
  expect(events.map((e) => e.kind)).toEqual(
    expect.arrayContaining(['workspace.ready', 'index.ready', 'changes.pushed', 'succeeded']),
  );
  return done;
}

describe('signed GitHub webhook -> gateway -> Redis -> worker -> agent -> pull request', () => {
  it('the real Claude Code CLI edits the file through the Anthropic stand-in', async () => {
    anthropic = await startAnthropicStandIn({ script: fixGreetClaudeScript(h.worktree()) });
    await h.startWorker({ runners: { 'claude-code': h.claudeRunner(anthropic.url) }, defaultRunner: 'claude-code' });
    const { deliveryId, taskId } = await deliverMention();
    const done = await expectDelivered(deliveryId, taskId, 'claude-code');
    expect(done.costUsd).toBeGreaterThan(0);
    // The CLI really called the model with the comment's request and used the Edit tool.
    expect(JSON.stringify(anthropic.agentTurns()[0]?.body.messages)).toContain('fix the typo in greet');
    const events = await gw.db.sql<{ kind: string }[]>`select kind from task_events where task_id = ${taskId}`;
    expect(events.map((e) => e.kind)).toContain('agent.tool_call');
  });

  it('the Ollama runner writes the file through the Ollama stand-in and the official client', async () => {
    ollama = await startOllamaStandIn({ models: ['qwen-e2e'], script: FIX_GREET_OLLAMA_SCRIPT });
    await h.startWorker({
      runners: { ollama: new OllamaRunner({ url: ollama.url, model: 'qwen-e2e', maxTurns: 8 }) },
      defaultRunner: 'ollama',
    });
    const { deliveryId, taskId } = await deliverMention();
    const done = await expectDelivered(deliveryId, taskId, 'ollama');
    expect(done).toMatchObject({ runner: 'ollama', model: 'qwen-e2e', inputTokens: 600, outputTokens: 150 });
    expect(ollama.chats[0]?.messages.some((m) => m.content.includes('fix the typo in greet'))).toBe(true);
  });
});
