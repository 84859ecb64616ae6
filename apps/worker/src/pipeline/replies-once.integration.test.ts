import { PostgresTaskEventRepository } from '@agent-bot/db';
import { SlackReplyChannel } from '@agent-bot/replies';
import { type AnthropicStandIn, type SlackStandIn, startAnthropicStandIn, startSlackStandIn } from '@agent-bot/testing';
import { describe, expect, it } from 'vitest';
import { NoopRunner } from '../runners/noop-runner.js';
import { GatedRunner } from '../test-support/gated-runner.js';
import { FIXED_GREET, type Harness, fixGreetClaudeScript } from '../test-support/pipeline-harness.js';
import { useWorkerDrill } from '../test-support/worker-drill.js';

/**
 * A worker that dies after posting a task's answer but before settling the task leaves the job to
 * another worker (BullMQ's stalled-job check; the stall detector leaves publishing tasks to it).
 * That attempt publishes again and must not answer again. Real worker processes killed with
 * SIGKILL, real queue, Octokit against the GitHub stand-in (checked against @octokit/openapi) and
 * the Slack Web API stand-in.
 */
let h: Harness;
const BOT_TOKEN = 'xoxb-replies-once-5e6f';

const drill = useWorkerDrill((harness) => {
  h = harness;
});

async function logOf(taskId: string) {
  const events = await new PostgresTaskEventRepository(h.db.sql).list(taskId, { limit: 5000 });
  return events.map((e) => ({ kind: e.kind, data: e.data }));
}

describe('answers are posted once per task across attempts', () => {
  it('a review-thread answer whose worker died before hearing GitHub answer is found, not posted again', async () => {
    const { task, replies } = await h.reviewCommentTask();
    const agent: AnthropicStandIn = await startAnthropicStandIn({ script: fixGreetClaudeScript(h.worktree()) });
    drill.closeAfter(agent);
    // GitHub takes the reply, but its answer never reaches the worker: the widest window there is.
    const held = h.gh.hold('pulls/create-reply-for-review-comment');
    const child = await drill.startChild({ anthropicUrl: agent.url });
    await h.enqueue(task.id);
    await held.arrived;
    await child.kill();
    held.release();
    expect(replies()).toHaveLength(1);
    expect(await h.tasks.get(task.id)).toMatchObject({ status: 'running', publishingAt: expect.any(Date) });

    const again = new GatedRunner({ 'src/greet.ts': FIXED_GREET });
    again.open();
    await h.startWorker({ runners: { noop: again }, defaultRunner: 'noop' });
    const done = await h.waitForFinal(task.id);

    expect(done).toMatchObject({ status: 'succeeded', errorCode: null });
    expect(replies()).toHaveLength(1);
    expect(h.gh.calls('pulls/create-reply-for-review-comment')).toHaveLength(1);
    // Only the takeover searched for an earlier answer: the first publish had none to find.
    expect(h.gh.calls('pulls/list-review-comments')).toHaveLength(1);
    expect(done.result.replyUrl).toContain(`#discussion_r${replies()[0]?.id}`);
    // The same pull request, found by its head.
    expect(h.gh.calls('pulls/create')).toHaveLength(1);
    expect(await logOf(task.id)).toContainEqual({
      kind: 'reply.already_posted',
      data: { channel: 'review-thread', answer: true, url: done.result.replyUrl },
    });
    expect(h.gh.violations()).toEqual([]);
  });

  it('a Slack answer logged before the worker died is not posted again; the task succeeds with its URL', async () => {
    const slack: SlackStandIn = await startSlackStandIn({ token: BOT_TOKEN, channels: ['C0ONCE'] });
    drill.closeAfter(slack);
    const slackOptions = { apiUrl: `${slack.url}/api`, botToken: BOT_TOKEN };
    // Dies (SIGKILL) when it is about to settle the task: after the answer, before the row.
    const child = await drill.startChild({ slack: slackOptions, die: 'before-settle' });
    const task = await h.createTask({
      kind: 'answer',
      source: 'slack',
      prompt: 'why is the build red?',
      repo: undefined,
      installationId: undefined,
      requestedBy: 'U0ALICE',
      context: { provider: 'slack', event: 'app_mention', teamId: 'T0TEAM', channel: 'C0ONCE', threadTs: '1700000000.000100' },
    });
    await h.enqueue(task.id);
    await child.exited;
    expect(slack.messages).toHaveLength(1);
    const first = await logOf(task.id);
    const posted = first.find((e) => e.kind === 'reply.posted');
    expect(posted?.data).toEqual({ channel: 'slack', answer: true, url: expect.stringContaining('/archives/C0ONCE/') });
    expect(await h.tasks.get(task.id)).toMatchObject({ status: 'running', publishingAt: expect.any(Date) });

    await h.startWorker({
      runners: { noop: new NoopRunner() },
      defaultRunner: 'noop',
      overrides: { replies: { slack: new SlackReplyChannel(slackOptions) } },
    });
    const done = await h.waitForFinal(task.id);

    expect(done).toMatchObject({ status: 'succeeded', errorCode: null });
    expect(slack.messages).toHaveLength(1);
    expect(done.result.replyUrl).toBe(posted?.data.url);
    expect(await logOf(task.id)).toContainEqual({ kind: 'reply.already_posted', data: posted?.data });
    expect(slack.problems()).toEqual([]);
  });
});
