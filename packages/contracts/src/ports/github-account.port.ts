/**
 * The GitHub App's own credentials and the users who signed in with GitHub. Implemented by
 * packages/db (storage, secrets encrypted at rest) and packages/github (the OAuth exchange); the
 * gateway's use cases join them.
 */

/** What GitHub hands out for an app: from the manifest flow or the operator's environment. */
export interface GitHubAppCredentials {
  appId: string;
  /** PEM private key that signs the app's JWTs. */
  privateKey: string;
  webhookSecret: string;
  clientId: string;
  clientSecret: string;
  /** The app's URL name (github.com/apps/<slug>), known when it came from the manifest flow. */
  slug?: string | undefined;
  htmlUrl?: string | undefined;
}

/** The manifest-created app, stored encrypted. Operators with GITHUB_APP_ID set never use it. */
export interface GitHubAppStore {
  /** The stored app, or null before the manifest flow ran. */
  load(): Promise<GitHubAppCredentials | null>;
  /** Stores (or replaces) the app's credentials. */
  save(credentials: GitHubAppCredentials): Promise<void>;
}

/** A user-to-server token pair; expiry fields are null when the app does not expire tokens. */
export interface GitHubUserTokens {
  accessToken: string;
  accessTokenExpiresAt: Date | null;
  refreshToken: string | null;
  refreshTokenExpiresAt: Date | null;
}

export interface GitHubUserProfile {
  /** GitHub's numeric user id, as a string. */
  id: string;
  login: string;
}

/** An installation of our app that a signed-in user can see. */
export interface GitHubUserInstallation {
  id: string;
  accountLogin: string;
  accountType: string;
  repositorySelection: string;
}

/** The OAuth side of the GitHub App (web flow with PKCE, refresh) and the user's own view. */
export interface GitHubOAuth {
  /** Where to send the browser: GitHub's authorize page with our state and S256 challenge. */
  authorizationUrl(input: { state: string; codeChallenge: string; redirectUrl: string }): string;
  /** Exchanges a callback code (with the PKCE verifier) for tokens. Throws AppError GITHUB_OAUTH_FAILED. */
  exchangeCode(input: { code: string; codeVerifier: string; redirectUrl: string }): Promise<GitHubUserTokens>;
  /** Trades a refresh token (usable once) for a new pair. Throws AppError GITHUB_OAUTH_FAILED. */
  refresh(refreshToken: string): Promise<GitHubUserTokens>;
  /** GET /user. Throws AppError GITHUB_UNAUTHORIZED on a 401. */
  user(accessToken: string): Promise<GitHubUserProfile>;
  /** GET /user/installations (every page). Throws AppError GITHUB_UNAUTHORIZED on a 401. */
  installations(accessToken: string): Promise<GitHubUserInstallation[]>;
}

/** Users who signed in with GitHub, their tokens (encrypted) and the installations they can see. */
export interface GitHubUserStore {
  /** Records a sign-in: the user, their token pair and their installations (replacing the old list). */
  saveSignIn(input: {
    user: GitHubUserProfile;
    tokens: GitHubUserTokens;
    installations: GitHubUserInstallation[];
  }): Promise<void>;
  installationsOf(userId: string): Promise<GitHubUserInstallation[]>;
  /**
   * Runs `fn` while holding the user's row lock, so refreshes are serialised per user across
   * processes (a refresh token works once). Tokens `fn` returns are saved before the lock is
   * released; `fn` sees null when the user has no tokens.
   */
  withTokensLocked<T>(
    userId: string,
    fn: (tokens: GitHubUserTokens | null) => Promise<{ tokens?: GitHubUserTokens; result: T }>,
  ): Promise<T>;
  /** Forgets the user's tokens (revoked authorization, or a 401). True when there were any. */
  deleteTokens(userId: string): Promise<boolean>;
}

export type OAuthStatePurpose = 'oauth' | 'manifest';

export type ConsumedOAuthState =
  | { kind: 'ok'; codeVerifier: string; redirectUrl: string }
  | { kind: 'unknown' | 'used' | 'expired' | 'wrong-purpose' };

/** Server-side record of an OAuth/manifest `state`: single use, expiring. */
export interface OAuthStateStore {
  create(input: {
    state: string;
    purpose: OAuthStatePurpose;
    codeVerifier: string;
    redirectUrl: string;
    ttlMs: number;
  }): Promise<void>;
  /** Marks the state used and returns it; a second call for the same state answers 'used'. */
  consume(state: string, purpose: OAuthStatePurpose): Promise<ConsumedOAuthState>;
}

/** Re-encrypts every secret at rest with the current key. */
export interface SecretRotation {
  /**
   * Rewrites values written with older keys. `keysInUse` lists the key ids still stored
   * afterwards: an old key may leave ENCRYPTION_KEYS once its id is absent.
   */
  rotate(): Promise<{ examined: number; reencrypted: number; keysInUse: string[] }>;
}
