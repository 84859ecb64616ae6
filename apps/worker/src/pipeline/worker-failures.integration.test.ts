import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { PostgresStalledTasks } from '@agent-bot/db';
import { createGitHubAdapters } from '@agent-bot/github';
import { createLogger } from '@agent-bot/observability';
import { ClaudeCodeRunner } from '@agent-bot/runners';
import { claudeBinary, startAnthropicStandIn, waitFor } from '@agent-bot/testing';
import { describe, expect, it } from 'vitest';
import { FIXED_GREET, type Harness, PUBLIC_URL, REPO, fixGreetClaudeScript } from '../test-support/pipeline-harness.js';
import { startStallDetector } from './stall-detector.js';
import { trackingMarker } from './tracking-comment.js';
import { useWorkerDrill } from '../test-support/worker-drill.js';
import { GatedRunner } from '../test-support/gated-runner.js';

let h: Harness;

const drill = useWorkerDrill((harness) => {
  h = harness;
});

const ours = (taskId: string) => h.gh.state.comments.filter((c) => c.body.includes(trackingMarker(taskId)));

describe('worker failures', () => {
  it('a worker killed with SIGKILL mid-task: another takes over, one comment, one PR, the agent died with it', async () => {
    const hanging = await startAnthropicStandIn({ script: [{ kind: 'hang' }] });
    drill.closeAfter(hanging);
    const child = await drill.startChild({ anthropicUrl: hanging.url });
    // Where the child's agent runs: no process may be left there once the worker is gone.
    const childRuns = join(h.runsDir, 'child');

    const task = await h.createTask();
    await h.enqueue(task.id);
    // Mid-task: the comment says it is working and the CLI waits on the model.
    await waitFor('the agent to be mid-task', () => hanging.agentTurns().length > 0 && ours(task.id).length === 1, {
      timeoutMs: 30_000,
    });
    expect(ours(task.id)[0]?.body).toContain('working on this');
    await child.kill();
    // The CLI and everything under it went with the worker (parent-death signal + PID namespace).
    await waitFor('no agent process left', () => !execFileSync('ps', ['-eo', 'args'], { encoding: 'utf8' }).includes(childRuns), {
      timeoutMs: 10_000,
    });

    const worktree = join(h.workspaceDir, 'worktrees', REPO, 'wt-0');
    const good = await startAnthropicStandIn({ script: fixGreetClaudeScript(worktree, 'Fixed after takeover.') });
    drill.closeAfter(good);
    await h.startWorker({
      runners: {
        'claude-code': new ClaudeCodeRunner({
          command: claudeBinary(),
          apiKey: 'sk-ant-2',
          baseUrl: good.url,
          allowedTools: ['Read', 'Write', 'Edit'],
          maxTurns: 10,
          runsDir: h.runsDir,
          maxRetries: 0,
        }),
      },
      defaultRunner: 'claude-code',
    });
    const done = await h.waitForFinal(task.id, 60_000);
    expect(done).toMatchObject({ status: 'succeeded' });
    expect(done.result.summary).toBe('Fixed after takeover.');
    expect(ours(task.id)).toHaveLength(1);
    expect(ours(task.id)[0]?.body).toContain('agent-bot finished');
    expect(h.gh.state.pulls).toHaveLength(1);
    expect(h.gh.calls('issues/create-comment')).toHaveLength(1);
    expect(h.remote.show(REPO, `agent-bot/${task.id}`, 'src/greet.ts')).toContain('"hello"');
    expect(h.gh.violations()).toEqual([]);
  });

  it('the stall detector fails a task whose heartbeat stopped and rewrites its comment with how to retry', async () => {
    const task = await h.createTask();
    await h.tasks.markRunning(task.id, 1);
    const github = createGitHubAdapters({
      ...h.githubParams,
      baseUrl: h.githubParams.apiUrl,
      logger: createLogger({ name: 't', level: 'silent' }),
    });
    const thread = { installationId: h.installationId, repo: REPO, issueNumber: 7 };
    await github.results.upsertTrackingComment(thread, trackingMarker(task.id), '⏳ agent-bot is working on this');
    await h.db.sql`update tasks set heartbeat_at = now() - interval '10 minutes' where id = ${task.id}`;
    const fresh = await h.createTask();
    await h.tasks.markRunning(fresh.id, 1);
    await h.tasks.heartbeat(fresh.id);

    const stalledIds: string[] = [];
    const detector = startStallDetector({
      stalled: new PostgresStalledTasks(h.db.sql),
      tasks: h.tasks,
      jobs: h.queue,
      results: github.results,
      logger: createLogger({ name: 't', level: 'silent' }),
      publicUrl: PUBLIC_URL,
      thresholdMs: 5 * 60_000,
      intervalMs: 60_000,
      onStalled: async (stalledTask) => {
        stalledIds.push(stalledTask.id);
      },
    });
    try {
      expect(await detector.sweep()).toBe(1);
      expect(await detector.sweep()).toBe(0);
    } finally {
      detector.stop();
    }
    expect(stalledIds).toEqual([task.id]);
    expect(await h.tasks.get(task.id)).toMatchObject({ status: 'failed', errorCode: 'TASK_STALLED' });
    expect((await h.tasks.get(fresh.id))?.status).toBe('running');
    const comments = ours(task.id);
    expect(comments).toHaveLength(1);
    expect(comments[0]?.body).toContain('agent-bot stalled');
    expect(comments[0]?.body).toContain('mention the bot again');
    expect(comments[0]?.body).toContain(`${PUBLIC_URL}/tasks/${task.id}`);
  });

  describe('a task that stalled while publishing (its branch may be pushed, its pull request open)', () => {
    const silent = createLogger({ name: 't', level: 'silent' });
    const detectorFor = () =>
      startStallDetector({
        stalled: new PostgresStalledTasks(h.db.sql),
        tasks: h.tasks,
        jobs: h.queue,
        results: createGitHubAdapters({ ...h.githubParams, baseUrl: h.githubParams.apiUrl, logger: silent }).results,
        logger: silent,
        publicUrl: PUBLIC_URL,
        thresholdMs: 5 * 60_000,
        intervalMs: 60_000,
      });

    /** A first attempt that claimed publishing, pushed its branch and opened its pull request, then went silent. */
    async function stalledMidPublish() {
      const task = await h.createTask();
      await h.tasks.markRunning(task.id, 1);
      await h.tasks.startPublishing(task.id);
      const thread = { installationId: h.installationId, repo: REPO, issueNumber: 7 };
      const github = createGitHubAdapters({ ...h.githubParams, baseUrl: h.githubParams.apiUrl, logger: silent });
      await github.results.upsertTrackingComment(thread, trackingMarker(task.id), '⏳ agent-bot is working on this');
      const branch = `agent-bot/${task.id}`;
      h.remote.commit(REPO, { 'src/greet.ts': 'export function greet() {\n  return "hel";\n}\n' }, branch, 'main');
      h.gh.state.addPull({ repo: REPO, number: 12, head: `octo-org:${branch}`, base: 'main', title: 'first attempt' });
      await h.db.sql`update tasks set heartbeat_at = now() - interval '10 minutes' where id = ${task.id}`;
      return task;
    }

    it('is not failed while its job is pending: the worker that takes the job over publishes idempotently and it succeeds', async () => {
      const task = await stalledMidPublish();
      // The dead worker's job, back in the queue (as BullMQ's stalled-job check leaves it).
      await h.enqueue(task.id);
      const detector = detectorFor();
      try {
        expect(await detector.sweep()).toBe(0);
      } finally {
        detector.stop();
      }
      expect(await h.tasks.get(task.id)).toMatchObject({ status: 'running', errorCode: null });
      expect(ours(task.id)[0]?.body).not.toContain('stalled');

      const runner = new GatedRunner({ 'src/greet.ts': FIXED_GREET });
      runner.open();
      await h.startWorker({ runners: { noop: runner }, defaultRunner: 'noop' });
      const done = await h.waitForFinal(task.id);
      expect(done).toMatchObject({ status: 'succeeded', errorCode: null });
      // One branch (replaced by this attempt's push) and the one pull request, found by its head.
      expect(h.remote.show(REPO, `agent-bot/${task.id}`, 'src/greet.ts')).toBe(FIXED_GREET);
      expect(h.gh.state.pulls.filter((p) => p.head === `octo-org:agent-bot/${task.id}`)).toHaveLength(1);
      expect(done.result.pullRequestUrl).toContain('/pull/12');
      expect(h.gh.calls('pulls/create')).toHaveLength(0);
      const comments = ours(task.id);
      expect(comments).toHaveLength(1);
      expect(comments[0]?.body).toContain('agent-bot finished');
      expect(comments[0]?.body).toContain(`Pull request: ${done.result.pullRequestUrl}`);
      expect(h.gh.violations()).toEqual([]);
    });

    it('is failed once no worker can take its job over, and its comment says publishing had started', async () => {
      // No job: the queue gave up on it (it stalled twice) or it is gone.
      const task = await stalledMidPublish();
      const detector = detectorFor();
      try {
        expect(await detector.sweep()).toBe(1);
      } finally {
        detector.stop();
      }
      expect(await h.tasks.get(task.id)).toMatchObject({
        status: 'failed',
        errorCode: 'TASK_STALLED',
        errorMessage: expect.stringContaining('while publishing'),
      });
      const body = ours(task.id)[0]?.body;
      expect(body).toContain('agent-bot stalled');
      expect(body).toContain(`the branch \`agent-bot/${task.id}\` may have been pushed and a pull request opened`);
      expect(h.gh.violations()).toEqual([]);
    });
  });
});
