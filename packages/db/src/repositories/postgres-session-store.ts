import { createHash, randomBytes } from 'node:crypto';
import type { Principal, SessionStore } from '@agent-bot/contracts';
import type { Sql } from '../create-sql.js';

function hashToken(token: string): string {
  return createHash('sha256').update(token).digest('hex');
}

/** Sessions keyed by the hash of a 256-bit random token: a database leak yields no usable cookie. */
export class PostgresSessionStore implements SessionStore {
  constructor(private readonly sql: Sql) {}

  async create(principal: Principal, ttlMs: number): Promise<{ token: string; expiresAt: Date }> {
    const token = randomBytes(32).toString('base64url');
    const expiresAt = new Date(Date.now() + ttlMs);
    await this.sql`
      insert into sessions (token_hash, principal_kind, principal_id, login, expires_at)
      values (${hashToken(token)}, ${principal.kind}, ${principal.id}, ${principal.login}, ${expiresAt})`;
    return { token, expiresAt };
  }

  async resolve(token: string): Promise<Principal | null> {
    if (token.length < 20 || token.length > 200) return null;
    const [row] = await this.sql<{ principal_kind: Principal['kind']; principal_id: string; login: string }[]>`
      select principal_kind, principal_id, login from sessions
      where token_hash = ${hashToken(token)} and revoked_at is null and expires_at > now()`;
    return row ? { kind: row.principal_kind, id: row.principal_id, login: row.login } : null;
  }

  async revoke(token: string): Promise<void> {
    await this.sql`update sessions set revoked_at = now() where token_hash = ${hashToken(token)} and revoked_at is null`;
  }

  async revokeAllFor(principal: Pick<Principal, 'kind' | 'id'>): Promise<number> {
    const result = await this.sql`
      update sessions set revoked_at = now()
      where principal_kind = ${principal.kind} and principal_id = ${principal.id} and revoked_at is null`;
    return result.count;
  }
}
