import { join } from 'node:path';
import { startAnthropicStandIn, waitFor } from '@agent-bot/testing';
import { describe, expect, it } from 'vitest';
import { trackingMarker } from './tracking-comment.js';
import { type Harness, REPO, fixGreetClaudeScript } from '../test-support/pipeline-harness.js';
import { useWorkerDrill } from '../test-support/worker-drill.js';

/**
 * What a worker killed mid-run (SIGKILL: no verdict, no cleanup) had its agent spend still counts:
 * the running usage is written as the agent goes, and the run that takes the job over (under the
 * same BullMQ attempt number) is a run of its own, so both are summed. The real Claude Code CLI in
 * a worker child process against the Messages API stand-in (1200 input and 300 output tokens per
 * answer); real queue, workers, PostgreSQL.
 */
let h: Harness;

const drill = useWorkerDrill((harness) => {
  h = harness;
});

type RunRow = { attempt: number; run_id: string; input_tokens: number; output_tokens: number; cost_usd: number };
const runRows = (taskId: string) =>
  h.db.sql<RunRow[]>`
    select attempt, run_id, input_tokens::int as input_tokens, output_tokens::int as output_tokens, cost_usd::float8 as cost_usd
    from task_attempt_usage where task_id = ${taskId} order by recorded_at`;

describe("a killed worker's spend", () => {
  it('is recorded while its agent runs, and summed with the run of the worker that took its job over', async () => {
    const worktree = join(h.workspaceDir, 'worktrees', REPO, 'wt-0');
    // One answer (a Read, so the CLI asks again), then the model never answers: the agent is mid-run.
    const first = await startAnthropicStandIn({
      script: [{ kind: 'tool_use', name: 'Read', input: { file_path: join(worktree, 'README.md') } }, { kind: 'hang' }],
    });
    drill.closeAfter(first);
    const child = await drill.startChild({ anthropicUrl: first.url });
    const task = await h.createTask();
    await h.enqueue(task.id);

    // The first answer's tokens are in the database before anything ends the run.
    await waitFor(
      "the first answer's usage to be recorded mid-run",
      async () => {
        const rows = await runRows(task.id);
        return (
          first.agentTurns().length >= 2 && rows.length === 1 && rows[0]?.input_tokens === 1200 && rows[0]?.output_tokens === 300
        );
      },
      { timeoutMs: 60_000 },
    );
    expect(await h.tasks.get(task.id)).toMatchObject({ status: 'running', inputTokens: 1200, outputTokens: 300, costUsd: 0 });
    await child.kill();
    const [dead] = await runRows(task.id);

    const good = await startAnthropicStandIn({ script: fixGreetClaudeScript(worktree, 'Fixed after takeover.') });
    drill.closeAfter(good);
    await h.startWorker({ runners: { 'claude-code': h.claudeRunner(good.url) }, defaultRunner: 'claude-code' });
    const done = await h.waitForFinal(task.id, 90_000);
    expect(done).toMatchObject({ status: 'succeeded', attempts: 1 });
    expect(done.result.summary).toBe('Fixed after takeover.');

    // Two runs of attempt 1 (a stalled-job takeover keeps the attempt number), each with its own id.
    const rows = await runRows(task.id);
    expect(rows).toHaveLength(2);
    expect(rows[0]).toEqual({ ...dead, attempt: 1, input_tokens: 1200, output_tokens: 300, cost_usd: 0 });
    const takeover = rows[1] as RunRow;
    expect(takeover.attempt).toBe(1);
    expect(takeover.run_id).not.toBe(dead?.run_id);
    // Each execution's log says which run it was, so a usage row can be traced to its log.
    const started = await h.db.sql<{ run_id: string }[]>`
      select data->>'runId' as run_id from task_events where task_id = ${task.id} and kind = 'started' order by id`;
    expect(started.map((e) => e.run_id)).toEqual([dead?.run_id, takeover.run_id]);
    // The second run's three answers, priced by its CLI.
    expect(takeover).toMatchObject({ input_tokens: 3 * 1200, output_tokens: 3 * 300 });
    expect(takeover.cost_usd).toBeGreaterThan(0);
    // The task's totals (what the monthly budget and the dashboard read) are the sum of both runs.
    expect(done).toMatchObject({ inputTokens: 4 * 1200, outputTokens: 4 * 300 });
    expect(done.costUsd).toBeCloseTo(takeover.cost_usd, 6);
    // The final comment shows the task's cost, both runs, not only the run that wrote it.
    const comment = h.gh.state.comments.find((c) => c.body.includes(trackingMarker(task.id)));
    expect(comment?.body).toContain(`| ${4 * 1200} / ${4 * 300} | $${done.costUsd.toFixed(4)} |`);
  });
});
