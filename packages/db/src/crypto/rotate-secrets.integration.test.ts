import { randomBytes } from 'node:crypto';
import { createTestDatabase, type TestDatabase } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { PostgresGitHubAppStore } from '../repositories/postgres-github-app-store.js';
import { PostgresGitHubUserStore } from '../repositories/postgres-github-user-store.js';
import { PostgresOAuthStateStore } from '../repositories/postgres-oauth-state-store.js';
import { keysInUse, rotateSecrets } from './rotate-secrets.js';
import { keyIdOf, SecretCipher } from './secret-cipher.js';

describe('key rotation', () => {
  let db: TestDatabase;
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  const app = {
    appId: '7',
    privateKey: '-----BEGIN RSA PRIVATE KEY-----\nabc\n-----END RSA PRIVATE KEY-----',
    webhookSecret: 'whsec',
    clientId: 'Iv1.x',
    clientSecret: 'csecret',
  };
  const tokens = {
    accessToken: 'ghu_access',
    accessTokenExpiresAt: new Date(Date.now() + 3600_000),
    refreshToken: 'ghr_refresh',
    refreshTokenExpiresAt: null,
  };

  beforeAll(async () => {
    db = await createTestDatabase();
  });
  afterAll(async () => {
    await db.drop();
  });

  it('writes with key A, rotates to B, reads everything with B alone', async () => {
    const withA = new SecretCipher({ currentKey: keyA });
    await new PostgresGitHubAppStore(db.sql, withA).save(app);
    await new PostgresGitHubUserStore(db.sql, withA).saveSignIn({
      user: { id: '42', login: 'octocat' },
      tokens,
      installations: [],
    });
    await new PostgresOAuthStateStore(db.sql, withA).create({
      state: 'state-1',
      purpose: 'oauth',
      codeVerifier: 'verifier-1',
      redirectUrl: 'http://x/cb',
      ttlMs: 600_000,
    });

    // Nothing readable in the rows themselves.
    const raw = JSON.stringify(await db.sql`select * from github_app`) + JSON.stringify(await db.sql`select * from github_users`);
    for (const secret of [app.privateKey, app.webhookSecret, app.clientSecret, tokens.accessToken, tokens.refreshToken])
      expect(raw).not.toContain(secret);
    expect(await keysInUse(db.sql, withA)).toEqual([keyIdOf(keyA)]);

    // B alone cannot read A's values: the failure names the missing key.
    await expect(new PostgresGitHubAppStore(db.sql, new SecretCipher({ currentKey: keyB })).load()).rejects.toMatchObject({
      code: 'SECRET_KEY_UNKNOWN',
    });

    const during = new SecretCipher({ currentKey: keyB, previousKeys: [keyA] });
    const report = await rotateSecrets(db.sql, during);
    expect(report).toEqual({ examined: 6, reencrypted: 6, keysInUse: [keyIdOf(keyB)] });
    expect((await rotateSecrets(db.sql, during)).reencrypted).toBe(0);

    const onlyB = new SecretCipher({ currentKey: keyB });
    expect(await new PostgresGitHubAppStore(db.sql, onlyB).load()).toMatchObject(app);
    const users = new PostgresGitHubUserStore(db.sql, onlyB);
    expect(await users.withTokensLocked('42', async (current) => ({ result: current }))).toEqual(tokens);
    expect(await new PostgresOAuthStateStore(db.sql, onlyB).consume('state-1', 'oauth')).toMatchObject({
      kind: 'ok',
      codeVerifier: 'verifier-1',
    });
  });
});
