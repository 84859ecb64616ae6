import { randomBytes } from 'node:crypto';
import { keyIdOf, PostgresGitHubAppStore, PostgresGitHubUserStore, SecretCipher } from '@agent-bot/db';
import { createLogger } from '@agent-bot/observability';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubGatewayDeps } from '../../../github-deps.js';
import { TEST_ADMIN_TOKEN, type TestGateway, createTestGateway } from '../../../test-support/test-gateway.js';

describe('POST /api/admin/rotate-keys', () => {
  const keyA = randomBytes(32);
  const keyB = randomBytes(32);
  let gateway: TestGateway;
  const app = {
    appId: '9',
    privateKey: 'pem-private-key',
    webhookSecret: 'webhook-secret',
    clientId: 'Iv1.r',
    clientSecret: 'client-secret',
  };
  const tokens = { accessToken: 'ghu_a', accessTokenExpiresAt: null, refreshToken: 'ghr_a', refreshTokenExpiresAt: null };

  beforeAll(async () => {
    // The gateway runs after the operator moved key A to ENCRYPTION_KEYS and set B as ENCRYPTION_KEY.
    gateway = await createTestGateway({
      overrides: ({ db, sessions }) => ({
        github: createGitHubGatewayDeps({
          sql: db.sql,
          encryptionKey: keyB,
          previousEncryptionKeys: [keyA],
          apiUrl: 'http://127.0.0.1:9',
          appFromEnvironment: undefined,
          sessions,
          logger: createLogger({ name: 'test', level: 'silent' }),
        }),
      }),
    });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('is for operators only', async () => {
    expect((await gateway.app.inject({ method: 'POST', url: '/api/admin/rotate-keys' })).statusCode).toBe(401);
    const { token } = await gateway.deps.sessions.create({ kind: 'user', id: '5', login: 'someone' }, 60_000);
    const asUser = await gateway.app.inject({
      method: 'POST',
      url: '/api/admin/rotate-keys',
      cookies: { agentbot_session: token },
    });
    expect(asUser.statusCode).toBe(403);
  });

  it('re-encrypts what key A wrote under key B, after which A can be removed', async () => {
    const withA = new SecretCipher({ currentKey: keyA });
    await new PostgresGitHubAppStore(gateway.db.sql, withA).save(app);
    await new PostgresGitHubUserStore(gateway.db.sql, withA).saveSignIn({
      user: { id: '5', login: 'someone' },
      tokens,
      installations: [],
    });

    const response = await gateway.app.inject({
      method: 'POST',
      url: '/api/admin/rotate-keys',
      headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
    });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({ examined: 5, reencrypted: 5, keysInUse: [keyIdOf(keyB)] });

    const onlyB = new SecretCipher({ currentKey: keyB });
    expect(await new PostgresGitHubAppStore(gateway.db.sql, onlyB).load()).toMatchObject(app);
    expect(await new PostgresGitHubUserStore(gateway.db.sql, onlyB).withTokensLocked('5', async (t) => ({ result: t }))).toEqual(
      tokens,
    );
  });
});
