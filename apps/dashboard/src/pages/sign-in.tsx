import { useEffect, useState } from 'preact/hooks';
import { api } from '../lib/api.js';
import type { Principal, SignInMethods } from '../lib/types.js';

export function SignInPage(props: { next: string | null; onSignedIn: (principal: Principal) => void }) {
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  // undefined while asking; null when the gateway could not say (then the button stays, as before).
  const [methods, setMethods] = useState<SignInMethods | null | undefined>(undefined);

  useEffect(() => {
    api<SignInMethods>('GET', '/api/session/methods').then(setMethods, () => setMethods(null));
  }, []);

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
      {methods !== undefined && <GitHubSignIn href={githubHref} github={methods?.github} />}
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

/** The GitHub button, or, when the gateway has no GitHub sign-in, a disabled one that says how to enable it. */
function GitHubSignIn(props: { href: string; github: SignInMethods['github'] | undefined }) {
  const { github } = props;
  if (!github || github.available) {
    return (
      <a class="button github" href={props.href}>
        Sign in with GitHub
      </a>
    );
  }
  return (
    <div class="github-unavailable" data-testid="github-unavailable">
      <button type="button" class="github" disabled aria-describedby="github-hint">
        Sign in with GitHub
      </button>
      <p id="github-hint" class="hint">
        GitHub sign-in is not set up. {github.hint}
        {github.setupUrl && (
          <>
            {' '}
            {/* /setup is for operators: sign in with the admin token first, then land there. */}
            <a href={`/signin?next=${encodeURIComponent(github.setupUrl)}`}>Set up a GitHub App</a>
          </>
        )}
      </p>
    </div>
  );
}
