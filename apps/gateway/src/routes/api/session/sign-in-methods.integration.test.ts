import { randomBytes } from 'node:crypto';
import { createLogger } from '@agent-bot/observability';
import { type GitHubStandIn, startGitHubStandIn } from '@agent-bot/testing';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGitHubGatewayDeps } from '../../../github-deps.js';
import { runManifestFlow } from '../../../test-support/github-flow.js';
import { type TestGateway, createTestGateway } from '../../../test-support/test-gateway.js';

describe('GET /api/session/methods: what the sign-in page may offer', () => {
  let gh: GitHubStandIn;
  let withoutKey: TestGateway;
  let withKey: TestGateway;

  beforeAll(async () => {
    gh = await startGitHubStandIn();
    withoutKey = await createTestGateway();
    withKey = await createTestGateway({
      overrides: ({ db, sessions }) => ({
        github: createGitHubGatewayDeps({
          sql: db.sql,
          encryptionKey: randomBytes(32),
          previousEncryptionKeys: [],
          apiUrl: gh.apiUrl,
          appFromEnvironment: undefined,
          sessions,
          logger: createLogger({ name: 'gateway-test', level: 'silent' }),
        }),
      }),
    });
  });
  afterAll(async () => {
    await withoutKey?.close();
    await withKey?.close();
    await gh?.close();
  });

  it('answers without a session: no ENCRYPTION_KEY means no GitHub sign-in, and says how to enable it', async () => {
    const response = await withoutKey.app.inject({ method: 'GET', url: '/api/session/methods' });
    expect(response.statusCode).toBe(200);
    expect(response.json()).toEqual({
      adminToken: { available: true },
      github: { available: false, hint: expect.stringContaining('ENCRYPTION_KEY'), setupUrl: null },
    });
  });

  it('points to /setup until an app exists, then offers GitHub sign-in', async () => {
    const before = await withKey.app.inject({ method: 'GET', url: '/api/session/methods' });
    expect(before.json().github).toEqual({ available: false, hint: expect.stringContaining('/setup'), setupUrl: '/setup' });

    const { callback } = await runManifestFlow(withKey.app);
    expect(callback.statusCode).toBe(200);
    const after = await withKey.app.inject({ method: 'GET', url: '/api/session/methods' });
    expect(after.json().github).toEqual({ available: true, hint: null, setupUrl: null });
  });
});
