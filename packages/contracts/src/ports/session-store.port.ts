/** Who is making a request: an operator (admin token) or a GitHub user signed in through OAuth. */
export interface Principal {
  kind: 'admin' | 'user';
  /** 'admin' for operators; the GitHub user id for users. */
  id: string;
  login: string;
}

export interface SessionStore {
  /** Creates a session and returns the opaque token for the cookie; only its hash is stored. */
  create(principal: Principal, ttlMs: number): Promise<{ token: string; expiresAt: Date }>;
  /** The principal of a live session, or null when unknown, expired or revoked. */
  resolve(token: string): Promise<Principal | null>;
  revoke(token: string): Promise<void>;
  /** Ends every session of a principal (a revoked GitHub authorization). */
  revokeAllFor(principal: Pick<Principal, 'kind' | 'id'>): Promise<number>;
}
