import { AppError, type InstallationToken, type InstallationTokens } from '@agent-bot/contracts';
import type { App } from '@octokit/app';
import { toGitHubError } from './github-errors.js';

export const DEFAULT_MIN_REMAINING_MS = 10 * 60_000;

export interface InstallationTokenCacheOptions {
  app: App;
  /** Clock, injectable so tests can move time. */
  now?: () => number;
}

/**
 * Installation tokens minted through @octokit/app and kept in memory (tokens never touch the
 * database). A token is re-minted when less than `minRemainingMs` remain; concurrent callers for
 * the same installation share one mint. Pass `minRemainingMs: Infinity` to force a fresh token.
 */
export class InstallationTokenCache implements InstallationTokens {
  private readonly cache = new Map<string, InstallationToken>();
  private readonly minting = new Map<string, Promise<InstallationToken>>();
  private readonly now: () => number;

  constructor(private readonly options: InstallationTokenCacheOptions) {
    this.now = options.now ?? Date.now;
  }

  async get(installationId: string, options: { minRemainingMs?: number } = {}): Promise<InstallationToken> {
    if (!/^\d+$/.test(installationId))
      throw new AppError('VALIDATION_FAILED', 'installation id must be numeric', { expected: true });
    const minRemainingMs = options.minRemainingMs ?? DEFAULT_MIN_REMAINING_MS;
    const cached = this.cache.get(installationId);
    if (cached && cached.expiresAt.getTime() - this.now() >= minRemainingMs) return cached;
    const pending = this.minting.get(installationId);
    if (pending) return pending;
    const mint = this.mint(installationId).finally(() => this.minting.delete(installationId));
    this.minting.set(installationId, mint);
    return mint;
  }

  /** Drops a token GitHub refused (a 401), so the next call mints anew. */
  invalidate(installationId: string): void {
    this.cache.delete(installationId);
  }

  private async mint(installationId: string): Promise<InstallationToken> {
    try {
      // refresh: true bypasses @octokit/auth-app's own cache, which keeps tokens for 59 minutes
      // regardless of how close they are to expiry.
      const auth = (await this.options.app.octokit.auth({
        type: 'installation',
        installationId: Number(installationId),
        refresh: true,
      })) as {
        token: string;
        expiresAt: string;
      };
      const token: InstallationToken = { token: auth.token, expiresAt: new Date(auth.expiresAt) };
      this.cache.set(installationId, token);
      return token;
    } catch (error) {
      throw toGitHubError(error, `mint a token for installation ${installationId}`);
    }
  }
}
