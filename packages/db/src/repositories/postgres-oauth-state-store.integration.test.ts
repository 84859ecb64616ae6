import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SecretCipher } from '../crypto/secret-cipher.js';
import { PostgresOAuthStateStore } from './postgres-oauth-state-store.js';

describe('PostgresOAuthStateStore', () => {
  let db: TestDatabase;
  let store: PostgresOAuthStateStore;
  const input = (state: string) => ({
    state,
    purpose: 'oauth' as const,
    codeVerifier: `verifier-${state}`,
    redirectUrl: 'http://gw/cb',
    ttlMs: 600_000,
  });

  beforeAll(async () => {
    db = await createTestDatabase();
    store = new PostgresOAuthStateStore(db.sql, new SecretCipher({ currentKey: randomBytes(32) }));
  });
  afterAll(async () => {
    await db.drop();
  });

  it('hands a state out once, and says why afterwards', async () => {
    await store.create(input('s-once'));
    expect(await store.consume('s-once', 'oauth')).toEqual({
      kind: 'ok',
      codeVerifier: 'verifier-s-once',
      redirectUrl: 'http://gw/cb',
    });
    expect(await store.consume('s-once', 'oauth')).toEqual({ kind: 'used' });
    expect(await store.consume('never-issued', 'oauth')).toEqual({ kind: 'unknown' });
  });

  it('refuses an expired state and a state issued for the other flow', async () => {
    await store.create({ ...input('s-short'), ttlMs: 1 });
    await db.sql`update oauth_states set expires_at = now() - interval '1 second'`;
    expect(await store.consume('s-short', 'oauth')).toEqual({ kind: 'expired' });
    await store.create({ ...input('s-manifest'), purpose: 'manifest' });
    expect(await store.consume('s-manifest', 'oauth')).toEqual({ kind: 'wrong-purpose' });
    expect((await store.consume('s-manifest', 'manifest')).kind).toBe('ok');
  });

  it('gives a state to exactly one of many concurrent callbacks', async () => {
    await store.create(input('s-race'));
    const results = await Promise.all(Array.from({ length: 8 }, () => store.consume('s-race', 'oauth')));
    expect(results.filter((r) => r.kind === 'ok')).toHaveLength(1);
    expect(results.filter((r) => r.kind === 'used')).toHaveLength(7);
  });

  it('keeps neither the state nor the verifier readable in the table', async () => {
    await store.create(input('s-secret-value'));
    const rows = JSON.stringify(await db.sql`select * from oauth_states`);
    expect(rows).not.toContain('s-secret-value');
    expect(rows).not.toContain('verifier-s-secret-value');
  });
});
