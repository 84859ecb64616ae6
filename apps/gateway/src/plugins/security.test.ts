import { loadConfig } from '@agent-bot/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildApp } from '../app.js';
import { TEST_ADMIN_TOKEN, type TestGateway, createTestGateway, githubHeaders } from '../test-support/test-gateway.js';

describe('rate limit, security headers, CORS', () => {
  let gateway: TestGateway;
  beforeAll(async () => {
    gateway = await createTestGateway({ overrides: { corsOrigins: ['https://ops.example.com'] } });
  });
  afterAll(async () => {
    await gateway.close();
  });

  it('defaults to 1000 API requests per minute per client', () => {
    expect(loadConfig({}).dashboard.apiRateLimitPerMinute).toBe(1000);
    expect(gateway.deps.apiRateLimitPerMinute).toBe(1000);
  });

  it('answers request 1001 within a minute with 429 and Retry-After; health probes are not limited', async () => {
    const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
    const remoteAddress = '203.0.113.7';
    // Every request claims another client in X-Forwarded-For: with TRUST_PROXY off (the default)
    // the header must not change the rate-limit key, or any client could dodge the limit.
    const spoofed = (i: number) => ({ ...headers, 'x-forwarded-for': `198.51.100.${i % 250}, 192.0.2.${i % 200}` });
    expect(gateway.deps.trustProxy).toBeUndefined();
    for (let i = 1; i <= 1000; i++) {
      const response = await gateway.app.inject({ method: 'GET', url: '/api/bots', headers: spoofed(i), remoteAddress });
      if (response.statusCode !== 200) throw new Error(`request ${i} got ${response.statusCode}`);
    }
    const limited = await gateway.app.inject({ method: 'GET', url: '/api/bots', headers: spoofed(1001), remoteAddress });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    // Another client is unaffected, and so are health probes from the limited one.
    const other = await gateway.app.inject({ method: 'GET', url: '/api/bots', headers, remoteAddress: '203.0.113.8' });
    expect(other.statusCode).toBe(200);
    const health = await gateway.app.inject({ method: 'GET', url: '/health', remoteAddress });
    expect(health.statusCode).not.toBe(429);
  });

  it('with TRUST_PROXY set, takes the client address from X-Forwarded-For sent by a trusted proxy only', async () => {
    const proxy = '10.0.0.5';
    const app = await buildApp({ ...gateway.deps, trustProxy: ['10.0.0.0/8'], apiRateLimitPerMinute: 2 });
    try {
      const headers = { authorization: `Bearer ${TEST_ADMIN_TOKEN}` };
      const via = async (client: string, remoteAddress = proxy) =>
        (
          await app.inject({
            method: 'GET',
            url: '/api/session',
            headers: { ...headers, 'x-forwarded-for': client },
            remoteAddress,
          })
        ).statusCode;
      // The per-client budget (2 a minute) is keyed on request.ip, so it shows which address was taken.
      expect([await via('198.51.100.1'), await via('198.51.100.1'), await via('198.51.100.1')]).toEqual([200, 200, 429]);
      // Another client behind the same proxy has its own budget.
      expect(await via('198.51.100.2')).toBe(200);
      // From outside the trusted range the header is ignored: the peer is the client, whatever it claims.
      const direct = [
        await via('198.51.100.1', '203.0.113.9'),
        await via('198.51.100.7', '203.0.113.9'),
        await via('198.51.100.8', '203.0.113.9'),
      ];
      expect(direct).toEqual([200, 200, 429]);
    } finally {
      await app.close();
    }
  });

  it('counts the per-client budget in Redis, so two gateway replicas share it', async () => {
    const store = { redis: gateway.redis, prefix: `${gateway.prefix}:shared` };
    const build = () => buildApp({ ...gateway.deps, apiRateLimitPerMinute: 3, rateLimitStore: store });
    const [a, b] = await Promise.all([build(), build()]);
    try {
      const get = async (app: Awaited<ReturnType<typeof build>>) =>
        (
          await app.inject({
            method: 'GET',
            url: '/api/session',
            remoteAddress: '198.51.100.40',
            headers: { authorization: `Bearer ${TEST_ADMIN_TOKEN}` },
          })
        ).statusCode;
      expect([await get(a), await get(b), await get(a), await get(b)]).toEqual([200, 200, 200, 429]);
      expect(await gateway.redis.keys(`${store.prefix}:rate-limit:*`)).not.toHaveLength(0);
    } finally {
      await Promise.all([a.close(), b.close()]);
    }
  });

  it('keeps the browser-facing plugins off webhook routes: no session, CORS or security headers there', async () => {
    const body = JSON.stringify({ zen: 'Keep it logically awesome.', hook_id: 1 });
    const response = await gateway.app.inject({
      method: 'POST',
      url: '/webhooks/github',
      payload: body,
      headers: { ...githubHeaders('ping', body), origin: 'https://evil.example', cookie: 'agentbot_session=forged' },
    });
    expect(response.statusCode).toBe(200);
    expect(response.headers['content-security-policy']).toBeUndefined();
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.headers['set-cookie']).toBeUndefined();
  });

  it('sends security headers with a CSP that only allows our own scripts', async () => {
    const response = await gateway.app.inject({ method: 'GET', url: '/api/session' });
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).toContain("frame-ancestors 'none'");
    expect(response.headers['x-content-type-options']).toBe('nosniff');
  });

  it('allows CORS only for PUBLIC_URL and CORS_ORIGINS', async () => {
    const preflight = (origin: string) =>
      gateway.app.inject({
        method: 'OPTIONS',
        url: '/api/bots',
        headers: { origin, 'access-control-request-method': 'POST' },
      });
    const allowed = await preflight('https://ops.example.com');
    expect(allowed.headers['access-control-allow-origin']).toBe('https://ops.example.com');
    expect(allowed.headers['access-control-allow-credentials']).toBe('true');
    const own = await preflight('http://localhost:8080');
    expect(own.headers['access-control-allow-origin']).toBe('http://localhost:8080');
    const foreign = await preflight('https://evil.example');
    expect(foreign.headers['access-control-allow-origin']).toBeUndefined();
  });
});
