import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { OllamaRunner } from '@agent-bot/runners';
import {
  type AnthropicStandIn,
  type OllamaStandIn,
  freePort,
  startAnthropicStandIn,
  startOllamaStandIn,
} from '@agent-bot/testing';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { NoopRunner } from '../runners/noop-runner.js';
import {
  FIXED_GREET,
  FIX_GREET_OLLAMA_SCRIPT,
  type Harness,
  PUBLIC_URL,
  REPO,
  createHarness,
  fixGreetClaudeScript,
} from '../test-support/pipeline-harness.js';
import { trackingMarker } from './tracking-comment.js';

let h: Harness;
let anthropic: AnthropicStandIn | undefined;
let ollama: OllamaStandIn | undefined;

beforeEach(async () => {
  h = await createHarness();
});
afterEach(async () => {
  await anthropic?.close();
  await ollama?.close();
  anthropic = undefined;
  ollama = undefined;
  await h.close();
});

const worktree = () => h.worktree();
const claude = (url: string, overrides?: Parameters<Harness['claudeRunner']>[1]) => h.claudeRunner(url, overrides);

function expectCleanGitHubTraffic() {
  expect(h.gh.violations()).toEqual([]);
}

describe('pipeline end to end: queue -> worker -> workspace -> agent -> GitHub', () => {
  it('Claude Code edits the file, the commit is pushed, a PR and one tracking comment are posted', async () => {
    anthropic = await startAnthropicStandIn({ script: fixGreetClaudeScript(worktree()) });
    await h.startWorker({ runners: { 'claude-code': claude(anthropic.url) }, defaultRunner: 'claude-code' });
    const task = await h.createTask();
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);

    expect(done).toMatchObject({ status: 'succeeded', errorCode: null });
    expect(done.inputTokens).toBeGreaterThan(0);
    expect(done.outputTokens).toBeGreaterThan(0);
    expect(done.costUsd).toBeGreaterThan(0);
    expect(done.result).toMatchObject({ runner: 'claude-code', branch: `agent-bot/${task.id}`, changedFiles: ['src/greet.ts'] });
    // The commit really is on the bare repository standing in for github.com.
    expect(h.remote.show(REPO, `agent-bot/${task.id}`, 'src/greet.ts')).toBe(FIXED_GREET);
    expect(h.remote.show(REPO, 'main', 'src/greet.ts')).toContain('"helo"');
    // One pull request from the task branch, linked to the issue.
    expect(h.gh.state.pulls).toHaveLength(1);
    expect(h.gh.state.pulls[0]).toMatchObject({ head: `octo-org:agent-bot/${task.id}`, base: 'main' });
    expect(h.gh.state.pulls[0]?.body).toContain('Closes #7');
    expect(done.result.pullRequestUrl).toContain('/pull/');
    // One tracking comment, edited to the final summary with tokens, cost and the dashboard link.
    const comments = h.gh.state.comments.filter((c) => c.body.includes(trackingMarker(task.id)));
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('agent-bot finished');
    expect(comments[0]?.body).toContain(`${PUBLIC_URL}/tasks/${task.id}`);
    expect(comments[0]?.body).toMatch(/\| claude-code \| .* \| \d+ \/ \d+ \| \$\d+\.\d{4} \| \d+s \|/);
    expect(comments[0]?.body).toContain(String(done.result.pullRequestUrl));
    expect(done.result.commentUrl).toBeTruthy();
    // The repository map reached the model's system prompt.
    expect(JSON.stringify(anthropic.agentTurns()[0]?.body.system)).toContain('function greet');
    const events = await h.db.sql<{ kind: string }[]>`select kind from task_events where task_id = ${task.id} order by id`;
    expect(events.map((e) => e.kind)).toEqual(
      expect.arrayContaining(['workspace.ready', 'index.ready', 'agent.tool_call', 'changes.pushed', 'succeeded']),
    );
    expectCleanGitHubTraffic();
  });

  it('Ollama writes the file through its tools with the same results', async () => {
    ollama = await startOllamaStandIn({ models: ['qwen-e2e'], script: FIX_GREET_OLLAMA_SCRIPT });
    await h.startWorker({
      runners: { ollama: new OllamaRunner({ url: ollama.url, model: 'qwen-e2e', maxTurns: 8 }) },
      defaultRunner: 'ollama',
    });
    const task = await h.createTask({ runner: 'ollama' });
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);
    expect(done).toMatchObject({ status: 'succeeded', inputTokens: 600, outputTokens: 150, runner: 'ollama', model: 'qwen-e2e' });
    expect(done.result).toMatchObject({ runner: 'ollama', model: 'qwen-e2e' });
    expect(h.remote.show(REPO, `agent-bot/${task.id}`, 'src/greet.ts')).toContain('"hello"');
    expect(h.gh.state.pulls).toHaveLength(1);
    expect(h.gh.state.comments.filter((c) => c.body.includes(trackingMarker(task.id)))).toHaveLength(1);
    // The index search answered the model's search_code call.
    expect(ollama.chats[1]?.messages.at(-1)?.content).toContain('src/greet.ts:1 function greet');
    expectCleanGitHubTraffic();
  });

  it('a task with nothing changed succeeds without a branch or pull request', async () => {
    anthropic = await startAnthropicStandIn({ script: [{ kind: 'text', text: 'Nothing to change.' }] });
    await h.startWorker({ runners: { 'claude-code': claude(anthropic.url) }, defaultRunner: 'claude-code' });
    const task = await h.createTask({ kind: 'answer' });
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);
    expect(done.status).toBe('succeeded');
    expect(h.gh.state.pulls).toHaveLength(0);
    expect(h.remote.branches(REPO)).toEqual(['main']);
    expect(h.gh.state.comments.find((c) => c.body.includes(trackingMarker(task.id)))?.body).toContain('Nothing to change.');
  });

  it.each([
    [500, 'MODEL_API_ERROR'],
    [529, 'MODEL_OVERLOADED'],
    [401, 'MODEL_AUTH_FAILED'],
  ])('a model API %i fails the task quickly with %s on the comment', async (status, code) => {
    anthropic = await startAnthropicStandIn({ script: [{ kind: 'error', status }] });
    await h.startWorker({ runners: { 'claude-code': claude(anthropic.url) }, defaultRunner: 'claude-code' });
    const task = await h.createTask();
    const started = Date.now();
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id, 30_000);
    expect(Date.now() - started).toBeLessThan(25_000);
    expect(done).toMatchObject({ status: 'failed', errorCode: code, attempts: 1 });
    expect(h.gh.state.comments.find((c) => c.body.includes(trackingMarker(task.id)))?.body).toContain(`\`${code}\``);
    expect(h.gh.state.pulls).toHaveLength(0);
  });

  it('the token budget stops the agent and the comment names the limit', async () => {
    anthropic = await startAnthropicStandIn({
      script: [
        { kind: 'tool_use', name: 'Write', input: { file_path: join(worktree(), 'a.txt'), content: 'a' } },
        { kind: 'tool_use', name: 'Write', input: { file_path: join(worktree(), 'b.txt'), content: 'b' } },
        { kind: 'text', text: 'done' },
      ],
    });
    await h.startWorker({
      runners: { 'claude-code': claude(anthropic.url) },
      defaultRunner: 'claude-code',
      overrides: { limits: { timeoutMs: 60_000, maxCostUsd: 5, maxTokens: 1000 } },
    });
    const task = await h.createTask();
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'TASK_BUDGET_TOKENS' });
    const comment = h.gh.state.comments.find((c) => c.body.includes(trackingMarker(task.id)))?.body;
    expect(comment).toContain('TASK_MAX_TOKENS');
    expect(h.gh.state.pulls).toHaveLength(0);
  });

  it('the monthly installation budget refuses the task before the agent runs', async () => {
    anthropic = await startAnthropicStandIn({ script: [{ kind: 'text', text: 'should not run' }] });
    const spent = await h.createTask();
    await h.db.sql`update tasks set status = 'succeeded', cost_usd = 12 where id = ${spent.id}`;
    const { PostgresInstallationSpend } = await import('@agent-bot/db');
    await h.startWorker({
      runners: { 'claude-code': claude(anthropic.url) },
      defaultRunner: 'claude-code',
      overrides: { monthlyBudget: { spend: new PostgresInstallationSpend(h.db.sql), limitUsd: 10 } },
    });
    const task = await h.createTask();
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'BUDGET_MONTHLY' });
    expect(done.errorMessage).toContain('INSTALLATION_MONTHLY_BUDGET_USD');
    expect(anthropic.requests).toHaveLength(0);
    expect(h.gh.state.comments.find((c) => c.body.includes(trackingMarker(task.id)))?.body).toContain('monthly budget');
  });

  it('a Slack task gets its answer through the Slack reply channel, and no GitHub comment', async () => {
    const replies: { taskId: string; text: string }[] = [];
    await h.startWorker({
      runners: { noop: new NoopRunner() },
      defaultRunner: 'noop',
      overrides: {
        replies: {
          slack: {
            async reply(task, text) {
              replies.push({ taskId: task.id, text });
              return { url: 'https://slack.test/archives/C1/p1' };
            },
          },
        },
      },
    });
    const task = await h.createTask({
      source: 'slack',
      repo: undefined,
      installationId: undefined,
      context: { channel: 'C1', threadTs: '1.2' },
    });
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);
    expect(done).toMatchObject({ status: 'succeeded' });
    expect(done.result.replyUrl).toBe('https://slack.test/archives/C1/p1');
    expect(replies).toEqual([{ taskId: task.id, text: 'noop runner: nothing to do' }]);
    expect(h.gh.state.comments).toHaveLength(0);
  });

  it('Ollama unreachable fails the task with where it looked', async () => {
    const url = `http://127.0.0.1:${await freePort()}`;
    await h.startWorker({ runners: { ollama: new OllamaRunner({ url, model: 'm', maxTurns: 3 }) }, defaultRunner: 'ollama' });
    const task = await h.createTask();
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'RUNNER_UNAVAILABLE' });
    expect(done.errorMessage).toContain(`Ollama is not reachable at ${url}`);
  });

  it('with no runner configured the task fails saying what to set', async () => {
    await h.startWorker({ runners: {}, defaultRunner: undefined });
    const task = await h.createTask();
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'RUNNER_UNAVAILABLE', attempts: 1 });
    expect(done.errorMessage).toContain('ANTHROPIC_API_KEY');
    expect(h.gh.state.comments.find((c) => c.body.includes(trackingMarker(task.id)))?.body).toContain('OLLAMA_URL');
  });

  it('a traversal or option-injection repository name is refused before git runs', async () => {
    anthropic = await startAnthropicStandIn({ script: [{ kind: 'text', text: 'should not run' }] });
    await h.startWorker({ runners: { 'claude-code': claude(anthropic.url) }, defaultRunner: 'claude-code' });
    for (const repo of ['../../etc', 'octo-org/--upload-pack=touch /tmp/pwned']) {
      const task = await h.createTask();
      // Written past the API's validation, as a corrupted row or another producer could.
      await h.db.sql`update tasks set repo = ${repo}, context = '{}'::jsonb where id = ${task.id}`;
      await h.enqueue(task.id);
      const done = await h.waitForFinal(task.id);
      expect(done).toMatchObject({ status: 'failed', errorCode: 'REPO_NAME_INVALID', attempts: 1 });
    }
    expect(existsSync(join(h.workspaceDir, 'mirrors'))).toBe(false);
    expect(anthropic.requests).toHaveLength(0);
    expect(existsSync('/tmp/pwned')).toBe(false);
  });

  it('a hung model API is killed at the time limit with no process left', async () => {
    anthropic = await startAnthropicStandIn({ script: [{ kind: 'hang' }] });
    await h.startWorker({
      runners: { 'claude-code': claude(anthropic.url) },
      defaultRunner: 'claude-code',
      overrides: { limits: { timeoutMs: 4000, maxCostUsd: 5 } },
    });
    const task = await h.createTask();
    await h.enqueue(task.id);
    const done = await h.waitForFinal(task.id, 30_000);
    expect(done).toMatchObject({ status: 'failed', errorCode: 'TASK_TIMEOUT' });
    expect(h.gh.state.comments.find((c) => c.body.includes(trackingMarker(task.id)))?.body).toContain('TASK_TIMEOUT_SECONDS');
    const ps = execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' });
    expect(ps).not.toContain(h.runsDir);
  });
});
