import type { GitHubUserInstallation, GitHubUserProfile, GitHubUserStore, GitHubUserTokens } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';
import { secretContext } from '../crypto/encrypted-columns.js';
import type { SecretCipher } from '../crypto/secret-cipher.js';

interface TokenRow {
  access_token_enc: string | null;
  access_token_expires_at: Date | null;
  refresh_token_enc: string | null;
  refresh_token_expires_at: Date | null;
}

/** GitHub users, their encrypted token pair, and the installations they can see. */
export class PostgresGitHubUserStore implements GitHubUserStore {
  constructor(
    private readonly sql: Sql,
    private readonly cipher: SecretCipher,
  ) {}

  async saveSignIn(input: {
    user: GitHubUserProfile;
    tokens: GitHubUserTokens;
    installations: GitHubUserInstallation[];
  }): Promise<void> {
    const id = input.user.id;
    const sealed = this.seal(id, input.tokens);
    await this.sql.begin(async (tx) => {
      await tx`
        insert into github_users (id, login, access_token_enc, access_token_expires_at, refresh_token_enc, refresh_token_expires_at, tokens_updated_at)
        values (${id}, ${input.user.login}, ${sealed.access_token_enc}, ${sealed.access_token_expires_at},
                ${sealed.refresh_token_enc}, ${sealed.refresh_token_expires_at}, now())
        on conflict (id) do update set
          login = excluded.login, access_token_enc = excluded.access_token_enc,
          access_token_expires_at = excluded.access_token_expires_at, refresh_token_enc = excluded.refresh_token_enc,
          refresh_token_expires_at = excluded.refresh_token_expires_at, tokens_updated_at = now(), updated_at = now()`;
      await tx`delete from github_user_installations where user_id = ${id}`;
      for (const installation of input.installations) {
        await tx`
          insert into github_user_installations (user_id, installation_id, account_login, account_type, repository_selection)
          values (${id}, ${installation.id}, ${installation.accountLogin}, ${installation.accountType}, ${installation.repositorySelection})`;
      }
    });
  }

  async installationsOf(userId: string): Promise<GitHubUserInstallation[]> {
    const rows = await this.sql<
      { installation_id: string; account_login: string; account_type: string; repository_selection: string }[]
    >`
      select installation_id::text, account_login, account_type, repository_selection
      from github_user_installations where user_id = ${userId} order by account_login, installation_id`;
    return rows.map((r) => ({
      id: r.installation_id,
      accountLogin: r.account_login,
      accountType: r.account_type,
      repositorySelection: r.repository_selection,
    }));
  }

  async withTokensLocked<T>(
    userId: string,
    fn: (tokens: GitHubUserTokens | null) => Promise<{ tokens?: GitHubUserTokens; result: T }>,
  ): Promise<T> {
    // The row lock (FOR UPDATE) holds until commit, across processes: a second refresh waits here
    // and then sees the tokens the first one stored.
    const outcome = await this.sql.begin(async (tx) => {
      const [row] = await tx<TokenRow[]>`
        select access_token_enc, access_token_expires_at, refresh_token_enc, refresh_token_expires_at
        from github_users where id = ${userId} for update`;
      const current = row ? this.open(userId, row) : null;
      const { tokens, result } = await fn(current);
      if (tokens && row) {
        const sealed = this.seal(userId, tokens);
        await tx`
          update github_users set
            access_token_enc = ${sealed.access_token_enc}, access_token_expires_at = ${sealed.access_token_expires_at},
            refresh_token_enc = ${sealed.refresh_token_enc}, refresh_token_expires_at = ${sealed.refresh_token_expires_at},
            tokens_updated_at = now(), updated_at = now()
          where id = ${userId}`;
      }
      return { result };
    });
    return outcome.result as T;
  }

  async deleteTokens(userId: string): Promise<boolean> {
    const result = await this.sql`
      update github_users set access_token_enc = null, access_token_expires_at = null, refresh_token_enc = null,
        refresh_token_expires_at = null, tokens_updated_at = now(), updated_at = now()
      where id = ${userId} and (access_token_enc is not null or refresh_token_enc is not null)`;
    return result.count > 0;
  }

  private seal(userId: string, tokens: GitHubUserTokens): TokenRow {
    return {
      access_token_enc: this.cipher.encrypt(tokens.accessToken, secretContext('github_users', userId, 'access_token_enc')),
      access_token_expires_at: tokens.accessTokenExpiresAt,
      refresh_token_enc: tokens.refreshToken
        ? this.cipher.encrypt(tokens.refreshToken, secretContext('github_users', userId, 'refresh_token_enc'))
        : null,
      refresh_token_expires_at: tokens.refreshTokenExpiresAt,
    };
  }

  private open(userId: string, row: TokenRow): GitHubUserTokens | null {
    if (!row.access_token_enc) return null;
    return {
      accessToken: this.cipher.decrypt(row.access_token_enc, secretContext('github_users', userId, 'access_token_enc')),
      accessTokenExpiresAt: row.access_token_expires_at,
      refreshToken: row.refresh_token_enc
        ? this.cipher.decrypt(row.refresh_token_enc, secretContext('github_users', userId, 'refresh_token_enc'))
        : null,
      refreshTokenExpiresAt: row.refresh_token_expires_at,
    };
  }
}
