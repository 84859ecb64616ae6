import { useEffect, useState } from 'preact/hooks';
import { api, localTime } from '../lib/api.js';
import { live } from '../lib/live.js';
import { linkHandler } from '../lib/router.js';
import type { TaskView } from '../lib/types.js';

const STATUSES = ['', 'queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;

export function TasksPage() {
  const initial = new URLSearchParams(window.location.search);
  const [status, setStatus] = useState(initial.get('status') ?? '');
  const [repo, setRepo] = useState(initial.get('repo') ?? '');
  const [bot, setBot] = useState(initial.get('bot') ?? '');
  const [tasks, setTasks] = useState<TaskView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [version, setVersion] = useState(0);

  useEffect(() => {
    const query = new URLSearchParams();
    if (status) query.set('status', status);
    if (repo.trim()) query.set('repo', repo.trim());
    if (bot.trim()) query.set('bot', bot.trim());
    const search = query.toString();
    // Filters live in the address, so a filtered list can be bookmarked and survives a reload.
    window.history.replaceState(null, '', `/tasks${search ? `?${search}` : ''}`);
    api<{ tasks: TaskView[] }>('GET', `/api/tasks${search ? `?${search}` : ''}`).then(
      (result) => setTasks(result.tasks),
      (caught: Error) => setError(caught.message),
    );
  }, [status, repo, bot, version]);

  // A task changed status somewhere: reload the list (pushed over the WebSocket, not polled).
  useEffect(() => live.subscribe({ channel: 'tasks' }, () => setVersion((v) => v + 1)), []);

  return (
    <section>
      <h1>Tasks</h1>
      <form class="filters" onSubmit={(event) => event.preventDefault()} aria-label="Filter tasks">
        <label>
          Status
          <select name="status" value={status} onChange={(event) => setStatus((event.target as HTMLSelectElement).value)}>
            {STATUSES.map((value) => (
              <option key={value} value={value}>
                {value || 'any'}
              </option>
            ))}
          </select>
        </label>
        <label>
          Repository
          <input
            name="repo"
            placeholder="owner/name"
            value={repo}
            onChange={(event) => setRepo((event.target as HTMLInputElement).value)}
            data-shortcut="/"
          />
        </label>
        <label>
          Bot
          <input
            name="bot"
            placeholder="CLAUDE-CODE-001"
            value={bot}
            onChange={(event) => setBot((event.target as HTMLInputElement).value)}
          />
        </label>
      </form>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {tasks && (
        <div class="table-scroll">
          <table class="tasks" data-testid="task-list">
            <thead>
              <tr>
                <th>Status</th>
                <th>Task</th>
                <th>Repository</th>
                <th>Bot</th>
                <th>Runner</th>
                <th>Created (your time)</th>
              </tr>
            </thead>
            <tbody>
              {tasks.length === 0 && (
                <tr>
                  <td colSpan={6}>No tasks match.</td>
                </tr>
              )}
              {tasks.map((task) => (
                <tr key={task.id} data-task={task.id}>
                  <td>
                    <span class={`task-status task-${task.status}`}>{task.status}</span>
                  </td>
                  <td>
                    <a href={`/tasks/${task.id}`} onClick={linkHandler(`/tasks/${task.id}`)}>
                      {task.title ?? task.prompt.slice(0, 80)}
                    </a>
                  </td>
                  <td>{task.repo ?? '—'}</td>
                  <td>{task.bot_id ?? '—'}</td>
                  <td>{task.runner ?? 'default'}</td>
                  <td>{localTime(task.created_at)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
    </section>
  );
}
