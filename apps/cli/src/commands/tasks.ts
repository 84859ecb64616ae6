import type { CliIo } from '../cli-io.js';
import { formatTable } from '../format-table.js';
import type { GatewayClient } from '../gateway-client.js';

interface TaskView {
  id: string;
  status: string;
  kind: string;
  priority: string;
  repo: string | null;
  runner: string | null;
  cost_usd: number;
  created_at: string;
  error_message: string | null;
}

export async function listTasks(
  client: GatewayClient,
  io: CliIo,
  options: { status?: string; repo?: string; limit?: string; json?: boolean },
) {
  const query = new URLSearchParams();
  if (options.status) query.set('status', options.status);
  if (options.repo) query.set('repo', options.repo);
  query.set('limit', options.limit ?? '20');
  const { tasks } = await client.request<{ tasks: TaskView[] }>('GET', `/api/tasks?${query}`);
  if (options.json) return io.stdout(`${JSON.stringify(tasks, null, 2)}\n`);
  if (tasks.length === 0) return io.stdout('no tasks\n');
  io.stdout(
    `${formatTable(
      ['ID', 'STATUS', 'KIND', 'PRI', 'REPO', 'RUNNER', 'COST', 'CREATED'],
      tasks.map((t) => [t.id, t.status, t.kind, t.priority, t.repo, t.runner, `$${t.cost_usd.toFixed(4)}`, t.created_at]),
    )}\n`,
  );
}

/** One run of a task (`runs` in GET /api/tasks/:id): what that execution of an attempt spent. */
interface TaskRunView {
  attempt: number;
  run_id: string | null;
  input_tokens: number;
  output_tokens: number;
  cost_usd: number;
  first_recorded_at: string;
}

export async function showTask(client: GatewayClient, io: CliIo, id: string, options: { json?: boolean }) {
  const answer = await client.request<{ task: TaskView & Record<string, unknown>; runs?: TaskRunView[] }>(
    'GET',
    `/api/tasks/${encodeURIComponent(id)}`,
  );
  const { task } = answer;
  // An older gateway answers without runs: print none rather than fail.
  const runs = answer.runs ?? [];
  const { events } = await client.request<{ events: Array<{ id: string; kind: string; message: string; created_at: string }> }>(
    'GET',
    `/api/tasks/${encodeURIComponent(id)}/events`,
  );
  if (options.json) return io.stdout(`${JSON.stringify({ task, runs, events }, null, 2)}\n`);
  const lines = Object.entries(task).map(
    ([key, value]) => `${key.padEnd(14)} ${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
  );
  io.stdout(`${lines.join('\n')}\n\n`);
  // What the totals above add up from: one row per run (the full run id, as the log's `started` lines name it).
  io.stdout(
    runs.length === 0
      ? 'runs: none yet\n\n'
      : `runs:\n${formatTable(
          ['ATTEMPT', 'RUN', 'TOKENS IN', 'TOKENS OUT', 'COST', 'FIRST RECORDED'],
          runs.map((r) => [
            r.attempt,
            r.run_id,
            r.input_tokens,
            r.output_tokens,
            `$${r.cost_usd.toFixed(4)}`,
            r.first_recorded_at,
          ]),
        )}\n\n`,
  );
  io.stdout('events:\n');
  io.stdout(
    `${formatTable(
      ['TIME', 'KIND', 'MESSAGE'],
      events.map((e) => [e.created_at, e.kind, e.message]),
    )}\n`,
  );
}
