import type { GitHubAppCredentials, GitHubAppStore } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';
import { secretContext } from '../crypto/encrypted-columns.js';
import type { SecretCipher } from '../crypto/secret-cipher.js';

const ROW_ID = 1;
const ctx = (column: string) => secretContext('github_app', ROW_ID, column);

/** The manifest-created app: one row, private key and secrets encrypted. */
export class PostgresGitHubAppStore implements GitHubAppStore {
  constructor(
    private readonly sql: Sql,
    private readonly cipher: SecretCipher,
  ) {}

  async load(): Promise<GitHubAppCredentials | null> {
    const [row] = await this.sql<
      {
        app_id: string;
        slug: string | null;
        html_url: string | null;
        client_id: string;
        private_key_enc: string;
        webhook_secret_enc: string;
        client_secret_enc: string;
      }[]
    >`select app_id, slug, html_url, client_id, private_key_enc, webhook_secret_enc, client_secret_enc from github_app where id = ${ROW_ID}`;
    if (!row) return null;
    return {
      appId: row.app_id,
      slug: row.slug ?? undefined,
      htmlUrl: row.html_url ?? undefined,
      clientId: row.client_id,
      privateKey: this.cipher.decrypt(row.private_key_enc, ctx('private_key_enc')),
      webhookSecret: this.cipher.decrypt(row.webhook_secret_enc, ctx('webhook_secret_enc')),
      clientSecret: this.cipher.decrypt(row.client_secret_enc, ctx('client_secret_enc')),
    };
  }

  async save(credentials: GitHubAppCredentials): Promise<void> {
    const privateKey = this.cipher.encrypt(credentials.privateKey, ctx('private_key_enc'));
    const webhookSecret = this.cipher.encrypt(credentials.webhookSecret, ctx('webhook_secret_enc'));
    const clientSecret = this.cipher.encrypt(credentials.clientSecret, ctx('client_secret_enc'));
    await this.sql`
      insert into github_app (id, app_id, slug, html_url, client_id, private_key_enc, webhook_secret_enc, client_secret_enc)
      values (${ROW_ID}, ${credentials.appId}, ${credentials.slug ?? null}, ${credentials.htmlUrl ?? null}, ${credentials.clientId},
              ${privateKey}, ${webhookSecret}, ${clientSecret})
      on conflict (id) do update set
        app_id = excluded.app_id, slug = excluded.slug, html_url = excluded.html_url, client_id = excluded.client_id,
        private_key_enc = excluded.private_key_enc, webhook_secret_enc = excluded.webhook_secret_enc,
        client_secret_enc = excluded.client_secret_enc, updated_at = now()`;
  }
}
