import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, type TestGateway, createTestGateway } from '../test-support/test-gateway.js';

describe('dashboard files and the queue view', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dashboard-'));
  let built: TestGateway;
  let unbuilt: TestGateway;
  beforeAll(async () => {
    mkdirSync(join(dir, 'assets'));
    writeFileSync(
      join(dir, 'index.html'),
      '<!doctype html><div id="app"></div><script type="module" src="/assets/app-1.js"></script>',
    );
    writeFileSync(join(dir, 'assets', 'app-1.js'), 'console.log(1)');
    built = await createTestGateway({ overrides: { dashboardDir: dir } });
    unbuilt = await createTestGateway();
  });
  afterAll(async () => {
    await built.close();
    await unbuilt.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves index.html at / and for client routes, and assets with long caching', async () => {
    for (const url of ['/', '/tasks/123', '/bots/CLAUDE-CODE-001']) {
      const response = await built.app.inject({ method: 'GET', url });
      expect(response.statusCode).toBe(200);
      expect(response.headers['content-type']).toContain('text/html');
      expect(response.body).toContain('<div id="app">');
    }
    const asset = await built.app.inject({ method: 'GET', url: '/assets/app-1.js' });
    expect(asset.statusCode).toBe(200);
    expect(String(asset.headers['cache-control'])).toContain('immutable');
  });

  it('never shadows the API, webhooks, health or metrics', async () => {
    const api = await built.app.inject({ method: 'GET', url: '/api/nope' });
    expect(api.statusCode).toBe(404);
    expect(api.json().error.code).toBe('NOT_FOUND');
    const webhook = await built.app.inject({ method: 'GET', url: '/webhooks/github' });
    expect(webhook.headers['content-type']).toContain('application/json');
    const health = await built.app.inject({ method: 'GET', url: '/health' });
    expect(health.headers['content-type']).toContain('application/json');
  });

  it('answers 503 with what to do when the dashboard is not built', async () => {
    const response = await unbuilt.app.inject({ method: 'GET', url: '/tasks' });
    expect(response.statusCode).toBe(503);
    expect(response.body).toContain('npm run build');
  });

  it('puts the queue view behind sign-in, with actions for operators only', async () => {
    const anonymousApi = await built.app.inject({ method: 'GET', url: '/admin/queues/api/queues' });
    expect(anonymousApi.statusCode).toBe(401);
    const anonymousPage = await built.app.inject({ method: 'GET', url: '/admin/queues', headers: { accept: 'text/html' } });
    expect(anonymousPage.statusCode).toBe(302);
    expect(anonymousPage.headers.location).toBe('/signin?next=%2Fadmin%2Fqueues');

    const admin = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const full = await built.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: admin });
    expect(full.statusCode).toBe(200);
    expect(full.json().queues[0].readOnlyMode).toBe(false);

    const { token } = await built.deps.sessions.create({ kind: 'user', id: '42', login: 'octocat' }, 60_000);
    const user = { cookie: `agentbot_session=${token}` };
    const forbidden = await built.app.inject({ method: 'GET', url: '/admin/queues/api/queues', headers: user });
    expect(forbidden.statusCode).toBe(403);
    const readOnly = await built.app.inject({ method: 'GET', url: '/queues/api/queues', headers: user });
    expect(readOnly.statusCode).toBe(200);
    expect(readOnly.json().queues[0].readOnlyMode).toBe(true);
  });
});
