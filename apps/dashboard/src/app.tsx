import { useCallback, useEffect, useState } from 'preact/hooks';
import { ApiError, api } from './lib/api.js';
import { type LiveState, live } from './lib/live.js';
import { linkHandler, navigate, useRoute } from './lib/router.js';
import { SHORTCUTS, useShortcuts } from './lib/shortcuts.js';
import type { Principal } from './lib/types.js';
import { BotsPage } from './pages/bots.js';
import { ChatPage } from './pages/chat.js';
import { DeliveriesPage } from './pages/deliveries.js';
import { SignInPage } from './pages/sign-in.js';
import { TaskPage } from './pages/task.js';
import { TasksPage } from './pages/tasks.js';

const LIVE_LABELS: Record<LiveState, string> = {
  connecting: 'connecting…',
  open: 'live',
  reconnecting: 'reconnecting…',
  unavailable: 'live updates unavailable',
};

export function App() {
  const route = useRoute();
  const [principal, setPrincipal] = useState<Principal | null | undefined>(undefined);
  const [liveState, setLiveState] = useState<LiveState>(live.state);
  const [help, setHelp] = useState(false);
  const toggleHelp = useCallback(() => setHelp((shown) => !shown), []);
  const closeHelp = useCallback(() => setHelp(false), []);
  useShortcuts(toggleHelp, closeHelp);

  useEffect(() => {
    api<{ principal: Principal }>('GET', '/api/session')
      .then((result) => setPrincipal(result.principal))
      .catch((error: unknown) => {
        if (error instanceof ApiError && error.status === 401) setPrincipal(null);
        else setPrincipal(null);
      });
  }, []);

  useEffect(() => {
    if (!principal) return;
    live.start();
    return live.onState(setLiveState);
  }, [principal]);

  if (principal === undefined) return <p class="loading">Loading…</p>;
  if (principal === null || route.page === 'signin') {
    return (
      <SignInPage
        next={route.page === 'signin' ? route.next : window.location.pathname}
        onSignedIn={(signedIn) => {
          setPrincipal(signedIn);
          const next = route.page === 'signin' ? route.next : null;
          // Pages the gateway renders itself (queue view, GitHub App setup) need a full load.
          if (next?.startsWith('/admin') || next?.startsWith('/queues') || next?.startsWith('/setup'))
            window.location.assign(next);
          else navigate(next && next.startsWith('/') ? next : route.page === 'signin' ? '/bots' : window.location.pathname);
        }}
      />
    );
  }

  const signOut = async () => {
    await api('DELETE', '/api/session');
    setPrincipal(null);
    navigate('/signin');
  };
  const isAdmin = principal.kind === 'admin';
  const section = route.page === 'chat' ? 'bots' : route.page === 'task' ? 'tasks' : route.page;

  return (
    <div class="shell">
      <header class="top">
        <strong class="brand">agent-bot</strong>
        <nav>
          {(
            [
              ['bots', '/bots', 'Bots'],
              ['tasks', '/tasks', 'Tasks'],
              ['deliveries', '/deliveries', 'Deliveries'],
            ] as const
          ).map(([name, href, label]) => (
            <a key={name} href={href} onClick={linkHandler(href)} class={section === name ? 'active' : ''}>
              {label}
            </a>
          ))}
          <a href={isAdmin ? '/admin/queues' : '/queues'}>Queue</a>
        </nav>
        <span class={`live live-${liveState}`} data-testid="live-state" data-state={liveState} title="WebSocket connection">
          ● {LIVE_LABELS[liveState]}
        </span>
        <button type="button" class="link" onClick={toggleHelp} title="Keyboard shortcuts (?)">
          ? Shortcuts
        </button>
        <span class="who">
          {principal.login} ({principal.kind})
        </span>
        <button type="button" class="link" onClick={signOut}>
          Sign out
        </button>
      </header>
      {help && (
        <div class="help" role="dialog" aria-label="Keyboard shortcuts">
          <h2>Keyboard shortcuts</h2>
          <table>
            <tbody>
              {SHORTCUTS.map((shortcut) => (
                <tr key={shortcut.keys}>
                  <td>
                    <kbd>{shortcut.keys}</kbd>
                  </td>
                  <td>{shortcut.what}</td>
                </tr>
              ))}
            </tbody>
          </table>
          <button type="button" onClick={closeHelp}>
            Close (Esc)
          </button>
        </div>
      )}
      <main>
        {route.page === 'bots' && <BotsPage isAdmin={isAdmin} liveState={liveState} />}
        {route.page === 'chat' && <ChatPage botId={route.botId} liveState={liveState} />}
        {route.page === 'tasks' && <TasksPage />}
        {route.page === 'task' && <TaskPage taskId={route.taskId} isAdmin={isAdmin} />}
        {route.page === 'deliveries' && <DeliveriesPage isAdmin={isAdmin} />}
        {route.page === 'not-found' && <p>Nothing here. Try the Bots page.</p>}
      </main>
    </div>
  );
}
