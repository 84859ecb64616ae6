import {
  AppError,
  errorCodeOf,
  type GitHubOAuth,
  type GitHubUserStore,
  type GitHubUserTokens,
  type SessionStore,
} from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';

export interface GitHubUserTokenServiceOptions {
  users: GitHubUserStore;
  sessions: SessionStore;
  /** The OAuth client of the current app (null while none is configured). */
  oauth: () => Promise<GitHubOAuth | null>;
  logger: Logger;
  /** Refresh this long before the access token expires (default 5 minutes). */
  refreshMarginMs?: number;
  now?: () => number;
}

type TokenOutcome = { kind: 'token'; token: string } | { kind: 'none' } | { kind: 'refresh-failed'; reason: string };

/**
 * User-to-server tokens: refreshed before they expire, one refresh at a time per user (a refresh
 * token works once, so two concurrent refreshes would log the user out), and forgotten together
 * with the user's sessions when GitHub revokes the authorization or answers 401.
 */
export class GitHubUserTokenService {
  private readonly margin: number;
  private readonly now: () => number;

  constructor(private readonly options: GitHubUserTokenServiceOptions) {
    this.margin = options.refreshMarginMs ?? 5 * 60_000;
    this.now = options.now ?? Date.now;
  }

  /** A usable access token for the user, refreshed if it is about to expire; null when there is none. */
  async accessToken(userId: string): Promise<string | null> {
    const outcome = await this.options.users.withTokensLocked<TokenOutcome>(userId, async (tokens) => {
      if (!tokens) return { result: { kind: 'none' } };
      if (!this.needsRefresh(tokens)) return { result: { kind: 'token', token: tokens.accessToken } };
      const refreshable =
        tokens.refreshToken && (!tokens.refreshTokenExpiresAt || tokens.refreshTokenExpiresAt.getTime() > this.now());
      if (!refreshable || !tokens.refreshToken)
        return { result: { kind: 'refresh-failed', reason: 'the refresh token has expired' } };
      const oauth = await this.options.oauth();
      if (!oauth)
        throw new AppError('GITHUB_NOT_CONFIGURED', 'no GitHub App with OAuth credentials is configured', { expected: true });
      try {
        // Still holding the row lock: a concurrent caller waits and then sees the new pair.
        const fresh = await oauth.refresh(tokens.refreshToken);
        return { tokens: fresh, result: { kind: 'token', token: fresh.accessToken } };
      } catch (error) {
        if (errorCodeOf(error) !== 'GITHUB_OAUTH_FAILED') throw error;
        return { result: { kind: 'refresh-failed', reason: (error as Error).message } };
      }
    });
    if (outcome.kind === 'token') return outcome.token;
    if (outcome.kind === 'refresh-failed') {
      this.options.logger.info(
        { userId, reason: outcome.reason },
        'GitHub user token could not be refreshed; signing the user out',
      );
      await this.revoke(userId);
    }
    return null;
  }

  /**
   * Runs `fn` with the user's token; a 401 from GitHub (AppError GITHUB_UNAUTHORIZED) forgets the
   * tokens and ends the user's sessions before the error is rethrown.
   */
  async withToken<T>(userId: string, fn: (token: string) => Promise<T>): Promise<T> {
    const token = await this.accessToken(userId);
    if (!token) throw new AppError('GITHUB_SIGN_IN_REQUIRED', 'sign in with GitHub again', { expected: true });
    try {
      return await fn(token);
    } catch (error) {
      if (errorCodeOf(error) === 'GITHUB_UNAUTHORIZED') await this.revoke(userId);
      throw error;
    }
  }

  /**
   * Forgets the user's tokens and ends their sessions. The webhook handler calls this for a
   * `github_app_authorization` event with action `revoked` (user id: payload.sender.id).
   */
  async revoke(userId: string): Promise<{ tokensDeleted: boolean; sessionsRevoked: number }> {
    const tokensDeleted = await this.options.users.deleteTokens(userId);
    const sessionsRevoked = await this.options.sessions.revokeAllFor({ kind: 'user', id: userId });
    this.options.logger.info({ userId, tokensDeleted, sessionsRevoked }, 'GitHub user authorization revoked');
    return { tokensDeleted, sessionsRevoked };
  }

  private needsRefresh(tokens: GitHubUserTokens): boolean {
    return tokens.accessTokenExpiresAt !== null && tokens.accessTokenExpiresAt.getTime() - this.now() < this.margin;
  }
}
