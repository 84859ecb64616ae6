import { useEffect, useRef, useState } from 'preact/hooks';
import { api, localTime } from '../lib/api.js';
import { live } from '../lib/live.js';
import { linkHandler, navigate } from '../lib/router.js';
import type { LiveEvent, TaskEventView, TaskRunView, TaskView } from '../lib/types.js';
import { TaskRuns } from './task-runs.js';

const PUBLISHING_NOTE =
  'Publishing its result (branch, pull request, replies): it can no longer be cancelled and finishes as published.';

export function TaskPage(props: { taskId: string; isAdmin: boolean }) {
  const { taskId } = props;
  const [task, setTask] = useState<TaskView | null>(null);
  const [runs, setRuns] = useState<TaskRunView[]>([]);
  const [events, setEvents] = useState<TaskEventView[] | null>(null);
  const [error, setError] = useState<string | null>(null);
  const logEnd = useRef<HTMLDivElement>(null);

  const reloadTask = () =>
    api<{ task: TaskView; runs?: TaskRunView[] }>('GET', `/api/tasks/${taskId}`).then(
      (result) => {
        setTask(result.task);
        // An older gateway answers without runs: show none rather than fail.
        setRuns(result.runs ?? []);
      },
      (caught: Error) => setError(caught.message),
    );

  useEffect(() => {
    setEvents(null);
    setRuns([]);
    void reloadTask();
    api<{ events: TaskEventView[] }>('GET', `/api/tasks/${taskId}/events`).then(
      (result) => setEvents(result.events),
      (caught: Error) => setError(caught.message),
    );
  }, [taskId]);

  const loaded = events !== null;
  // biome-ignore lint/correctness/useExhaustiveDependencies: subscribe once the stored log is loaded, from its last id.
  useEffect(() => {
    if (!loaded) return;
    const after = events?.at(-1)?.id ?? '0';
    return live.subscribe({ channel: 'task', id: taskId, after }, (event: LiveEvent) => {
      if (event.kind === 'task.log') {
        // The worker passed the point of no return: the row now carries publishing_at.
        if (event.logKind === 'publishing') void reloadTask();
        setEvents((current) => {
          const list = current ?? [];
          if (list.some((row) => row.id === event.eventId)) return list;
          return [...list, { id: event.eventId, kind: event.logKind, message: event.message, created_at: event.at }];
        });
      } else if (event.kind === 'task.status') {
        void reloadTask();
      }
    });
  }, [taskId, loaded]);

  useEffect(() => logEnd.current?.scrollIntoView({ block: 'end' }), [events]);

  const act = async (action: 'retry' | 'cancel') => {
    setError(null);
    try {
      const result = await api<{ task: TaskView }>('POST', `/api/tasks/${taskId}/${action}`);
      if (action === 'retry') navigate(`/tasks/${result.task.id}`);
      else setTask(result.task);
    } catch (caught) {
      setError((caught as Error).message);
      // A refused cancel (publishing, already finished): show what the task is now.
      void reloadTask();
    }
  };

  if (!task) return error ? <p class="error">{error}</p> : <p class="loading">Loading…</p>;
  const final = ['succeeded', 'failed', 'cancelled'].includes(task.status);
  // Past the point of no return the API refuses cancels (409 TASK_PUBLISHING): say so up front.
  const publishing = !final && task.publishing_at !== null;

  return (
    <section class="task">
      <h1>
        <a href="/tasks" onClick={linkHandler('/tasks')}>
          Tasks
        </a>{' '}
        / {task.title ?? task.kind}{' '}
        <span class={`task-status task-${task.status}`} data-testid="task-status">
          {task.status}
        </span>
        {publishing && (
          <span class="task-publishing" data-testid="task-publishing">
            {' '}
            · publishing
          </span>
        )}
      </h1>
      <dl class="facts">
        <dt>Id</dt>
        <dd>{task.id}</dd>
        <dt>Repository</dt>
        <dd>{task.repo ?? '—'}</dd>
        <dt>Bot</dt>
        <dd>{task.bot_id ?? '—'}</dd>
        <dt>Runner</dt>
        <dd>
          {task.runner ?? 'default'}
          {task.model ? ` / ${task.model}` : ''}
        </dd>
        <dt>Tokens</dt>
        <dd data-testid="tokens">
          {task.input_tokens} in / {task.output_tokens} out
        </dd>
        <dt>Cost</dt>
        <dd data-testid="cost">${task.cost_usd.toFixed(4)}</dd>
        <dt>Attempts</dt>
        <dd>{task.attempts}</dd>
        <dt>Created</dt>
        <dd>{localTime(task.created_at)}</dd>
        <dt>Duration</dt>
        <dd>{task.duration_ms === null ? '—' : `${(task.duration_ms / 1000).toFixed(1)} s`}</dd>
        <dt>Links</dt>
        <dd>
          {task.result.commentUrl ? (
            <a href={task.result.commentUrl} target="_blank" rel="noreferrer">
              comment
            </a>
          ) : (
            'no comment yet'
          )}
          {' · '}
          {task.result.pullRequestUrl ? (
            <a href={task.result.pullRequestUrl} target="_blank" rel="noreferrer">
              pull request
            </a>
          ) : (
            'no pull request'
          )}
        </dd>
      </dl>
      <TaskRuns runs={runs} />
      {task.error_message && (
        <p class="error">
          {task.error_code}: {task.error_message}
        </p>
      )}
      {props.isAdmin && (
        <div class="buttons">
          <button type="button" onClick={() => act('retry')} disabled={!final} data-shortcut="r">
            Retry (r)
          </button>
          <button
            type="button"
            class="danger"
            onClick={() => act('cancel')}
            disabled={final || publishing}
            title={publishing ? PUBLISHING_NOTE : undefined}
            aria-describedby={publishing ? 'cancel-note' : undefined}
            data-shortcut="x"
          >
            Cancel (x)
          </button>
          {publishing && (
            <span class="note" id="cancel-note" data-testid="cancel-note">
              {PUBLISHING_NOTE}
            </span>
          )}
        </div>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      <h2>Live log</h2>
      <div class="log" data-testid="task-log">
        {(events ?? []).map((event) => (
          <div key={event.id} class={`log-line log-${event.kind.replace(/\W/g, '-')}`} data-id={event.id}>
            <time>{new Date(event.created_at).toLocaleTimeString()}</time> <span class="kind">{event.kind}</span> {event.message}
          </div>
        ))}
        <div ref={logEnd} />
      </div>
    </section>
  );
}
