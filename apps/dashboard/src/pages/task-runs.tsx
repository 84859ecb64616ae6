import type { TaskRunView } from '../lib/types.js';

/**
 * Why a task cost what it did: one row per run (an execution of an attempt; a job taken over after
 * its worker died runs again under the same attempt number). The task's totals are the sum of
 * these rows. Shown only once a run has recorded usage.
 */
export function TaskRuns(props: { runs: TaskRunView[] }) {
  if (props.runs.length === 0) return null;
  return (
    <>
      <h2>Runs</h2>
      <div class="table-scroll">
        <table class="task-runs" data-testid="task-runs">
          <thead>
            <tr>
              <th>Attempt</th>
              <th>Run</th>
              <th class="number">Tokens in</th>
              <th class="number">Tokens out</th>
              <th class="number">Cost</th>
            </tr>
          </thead>
          <tbody>
            {props.runs.map((run) => (
              <tr key={`${run.attempt}:${run.run_id ?? ''}`} data-run={run.run_id ?? ''}>
                <td>{run.attempt}</td>
                {/* The full id is on hover: it is what the task's log names on each run's `started` line. */}
                <td title={run.run_id ?? 'recorded before runs had ids'}>
                  <code>{run.run_id ? run.run_id.slice(0, 8) : '—'}</code>
                </td>
                <td class="number">{run.input_tokens}</td>
                <td class="number">{run.output_tokens}</td>
                <td class="number">${run.cost_usd.toFixed(4)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </>
  );
}
