import { createHash } from 'node:crypto';
import type { ConsumedOAuthState, OAuthStatePurpose, OAuthStateStore } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';
import { secretContext } from '../crypto/encrypted-columns.js';
import type { SecretCipher } from '../crypto/secret-cipher.js';

function hashState(state: string): string {
  return createHash('sha256').update(state).digest('hex');
}

/** OAuth/manifest state: stored as a hash, single use, expiring; the PKCE verifier encrypted. */
export class PostgresOAuthStateStore implements OAuthStateStore {
  constructor(
    private readonly sql: Sql,
    private readonly cipher: SecretCipher,
  ) {}

  async create(input: {
    state: string;
    purpose: OAuthStatePurpose;
    codeVerifier: string;
    redirectUrl: string;
    ttlMs: number;
  }): Promise<void> {
    const hash = hashState(input.state);
    const verifier = this.cipher.encrypt(input.codeVerifier, secretContext('oauth_states', hash, 'code_verifier_enc'));
    await this.sql`
      insert into oauth_states (state_hash, purpose, code_verifier_enc, redirect_url, expires_at)
      values (${hash}, ${input.purpose}, ${verifier}, ${input.redirectUrl}, now() + ${`${Math.round(input.ttlMs)} milliseconds`}::interval)`;
    // Old states are useless after expiry; trimming here keeps the table small without a cron.
    await this.sql`delete from oauth_states where expires_at < now() - interval '1 day'`;
  }

  async consume(state: string, purpose: OAuthStatePurpose): Promise<ConsumedOAuthState> {
    const hash = hashState(state);
    // One UPDATE decides: of two concurrent callbacks with the same state, exactly one gets the row.
    const [taken] = await this.sql<{ code_verifier_enc: string; redirect_url: string }[]>`
      update oauth_states set used_at = now()
      where state_hash = ${hash} and purpose = ${purpose} and used_at is null and expires_at > now()
      returning code_verifier_enc, redirect_url`;
    if (taken) {
      return {
        kind: 'ok',
        codeVerifier: this.cipher.decrypt(taken.code_verifier_enc, secretContext('oauth_states', hash, 'code_verifier_enc')),
        redirectUrl: taken.redirect_url,
      };
    }
    const [row] = await this.sql<{ purpose: string; used: boolean; expired: boolean }[]>`
      select purpose, used_at is not null as used, expires_at <= now() as expired from oauth_states where state_hash = ${hash}`;
    if (!row) return { kind: 'unknown' };
    if (row.purpose !== purpose) return { kind: 'wrong-purpose' };
    if (row.used) return { kind: 'used' };
    return { kind: 'expired' };
  }
}
