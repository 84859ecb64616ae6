import { useEffect, useState } from 'preact/hooks';
import { api, localTime } from '../lib/api.js';
import { type LiveState, live } from '../lib/live.js';
import { linkHandler } from '../lib/router.js';
import type { BoardSnapshot } from '../lib/types.js';

const STATUS_HELP = {
  online: 'a worker heartbeated it recently and it is idle',
  busy: 'answering a message right now',
  stale: 'running, but no worker heartbeat for too long',
  offline: 'stopped, or no worker has served it yet',
} as const;

export function BotsPage(props: { isAdmin: boolean; liveState: LiveState }) {
  const [board, setBoard] = useState<BoardSnapshot | null>(null);
  const [error, setError] = useState<string | null>(null);

  useEffect(() => {
    api<BoardSnapshot>('GET', '/api/bots').then(setBoard, (caught: Error) => setError(caught.message));
    // Pushed by the server over the WebSocket whenever anything changes; the page never polls.
    return live.subscribe({ channel: 'board' }, undefined, setBoard);
  }, []);

  const act = async (method: string, path: string) => {
    setError(null);
    try {
      await api(method, path);
      setBoard(await api<BoardSnapshot>('GET', '/api/bots'));
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  return (
    <section>
      <h1>Bots</h1>
      {props.liveState === 'unavailable' && (
        <p class="notice" role="status">
          Live updates are unavailable (the WebSocket cannot connect), so this board is not updating by itself. Reload the page to
          refresh it.
        </p>
      )}
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
      {board && (
        <>
          <div class="table-scroll">
            <table class="board" data-testid="bot-board">
              <thead>
                <tr>
                  <th>Status</th>
                  <th>Bot</th>
                  <th>Runner / model</th>
                  <th>Last heartbeat (your time)</th>
                  <th />
                </tr>
              </thead>
              <tbody>
                {board.bots.length === 0 && (
                  <tr>
                    <td colSpan={5}>No bots yet{props.isAdmin ? ': launch one below.' : '.'}</td>
                  </tr>
                )}
                {board.bots.map((bot) => (
                  <tr key={bot.id} data-bot={bot.id} data-status={bot.status}>
                    <td>
                      <span class={`status status-${bot.status}`} title={STATUS_HELP[bot.status]}>
                        ● {bot.status}
                      </span>
                    </td>
                    <td class="bot-id">
                      <a
                        href={`/bots/${encodeURIComponent(bot.id)}`}
                        onClick={linkHandler(`/bots/${encodeURIComponent(bot.id)}`)}
                      >
                        {bot.id}
                      </a>
                      {bot.name !== bot.id && <small> {bot.name}</small>}
                    </td>
                    <td>
                      {bot.runner}
                      {bot.model ? ` / ${bot.model}` : ''}
                    </td>
                    <td>
                      <time dateTime={bot.last_heartbeat_at ?? undefined} data-testid="heartbeat">
                        {localTime(bot.last_heartbeat_at)}
                      </time>
                    </td>
                    <td class="actions">
                      <a
                        href={`/bots/${encodeURIComponent(bot.id)}`}
                        onClick={linkHandler(`/bots/${encodeURIComponent(bot.id)}`)}
                      >
                        Chat
                      </a>
                      {props.isAdmin && bot.state === 'running' && (
                        <button type="button" onClick={() => act('POST', `/api/bots/${encodeURIComponent(bot.id)}/stop`)}>
                          Stop
                        </button>
                      )}
                      {props.isAdmin && bot.state === 'stopped' && (
                        <button type="button" onClick={() => act('POST', `/api/bots/${encodeURIComponent(bot.id)}/start`)}>
                          Start
                        </button>
                      )}
                      {props.isAdmin && (
                        <button
                          type="button"
                          class="danger"
                          onClick={() =>
                            window.confirm(`Delete ${bot.id} and its chat history?`) &&
                            act('DELETE', `/api/bots/${encodeURIComponent(bot.id)}`)
                          }
                        >
                          Delete
                        </button>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          </div>
          <p class="legend">
            Stale after {board.stale_after_seconds} s without a heartbeat. Updated {localTime(board.at)}.
          </p>
          <div class="cards">
            <div class="card" data-testid="workers">
              <h2>Workers ({board.workers.length})</h2>
              {board.workers.length === 0 ? (
                <p>No worker is running: nothing will be answered.</p>
              ) : (
                <ul>
                  {board.workers.map((worker) => (
                    <li key={worker.id}>
                      {worker.id}: {worker.active}/{worker.concurrency} busy, seen {localTime(worker.lastSeenAt)}
                    </li>
                  ))}
                </ul>
              )}
            </div>
            <div class="card" data-testid="queue-depth">
              <h2>Queue</h2>
              {board.queue ? (
                <p>
                  {board.queue.waiting + board.queue.prioritized} waiting, {board.queue.active} active, {board.queue.delayed}{' '}
                  delayed, {board.queue.failed} failed
                </p>
              ) : (
                <p>Queue depth unavailable (Redis unreachable).</p>
              )}
            </div>
          </div>
        </>
      )}
      {props.isAdmin && <LaunchForm onLaunched={async () => setBoard(await api<BoardSnapshot>('GET', '/api/bots'))} />}
    </section>
  );
}

function LaunchForm(props: { onLaunched: () => Promise<void> }) {
  const [id, setId] = useState('');
  const [runner, setRunner] = useState<'ollama' | 'claude-code'>('ollama');
  const [model, setModel] = useState('');
  const [systemPrompt, setSystemPrompt] = useState('');
  const [error, setError] = useState<string | null>(null);

  const submit = async (event: Event) => {
    event.preventDefault();
    setError(null);
    try {
      await api('POST', '/api/bots', {
        id: id.trim().toUpperCase(),
        runner,
        model: model.trim() || undefined,
        system_prompt: systemPrompt,
      });
      setId('');
      setModel('');
      setSystemPrompt('');
      await props.onLaunched();
    } catch (caught) {
      setError((caught as Error).message);
    }
  };

  return (
    <form class="launch card" onSubmit={submit} aria-label="Launch a bot">
      <h2>Launch a bot</h2>
      <label>
        Id
        <input
          name="bot-id"
          placeholder="CLAUDE-CODE-001"
          value={id}
          onInput={(event) => setId((event.target as HTMLInputElement).value)}
          data-shortcut="n"
          required
        />
      </label>
      <label>
        Runner
        <select
          name="runner"
          value={runner}
          onChange={(event) => setRunner((event.target as HTMLSelectElement).value as typeof runner)}
        >
          <option value="ollama">Ollama</option>
          <option value="claude-code">Claude Code</option>
        </select>
      </label>
      <label>
        Model
        <input
          name="model"
          placeholder="e.g. llama3.2 or sonnet"
          value={model}
          onInput={(event) => setModel((event.target as HTMLInputElement).value)}
        />
      </label>
      <label class="wide">
        System prompt
        <textarea
          name="system-prompt"
          rows={3}
          value={systemPrompt}
          onInput={(event) => setSystemPrompt((event.target as HTMLTextAreaElement).value)}
        />
      </label>
      <button type="submit">Launch</button>
      {error && (
        <p class="error" role="alert">
          {error}
        </p>
      )}
    </form>
  );
}
