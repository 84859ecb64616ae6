import { useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import type { Principal } from '../lib/types.js';

export function SignInPage(props: { next: string | null; onSignedIn: (principal: Principal) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  const submit = async (event: Event) => {
    event.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const { principal } = await api<{ principal: Principal }>('POST', '/api/session', { token });
      props.onSignedIn(principal);
    } catch (caught) {
      setError((caught as Error).message);
    } finally {
      setBusy(false);
    }
  };
  const githubHref = `/oauth/github/authorize${props.next ? `?next=${encodeURIComponent(props.next)}` : ''}`;

  return (
    <div class="signin">
      <h1>agent-bot</h1>
      <p>Sign in to see your bots, tasks and deliveries.</p>
      <a class="button github" href={githubHref}>
        Sign in with GitHub
      </a>
      <form onSubmit={submit}>
        <label>
          Operator? Admin token
          <input
            type="password"
            name="token"
            autoComplete="current-password"
            value={token}
            onInput={(event) => setToken((event.target as HTMLInputElement).value)}
            data-shortcut="/"
            required
          />
        </label>
        <button type="submit" disabled={busy || token === ''}>
          Sign in with admin token
        </button>
        {error && (
          <p class="error" role="alert">
            {error}
          </p>
        )}
      </form>
    </div>
  );
}
