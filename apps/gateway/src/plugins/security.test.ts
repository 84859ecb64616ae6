import { loadConfig } from '@agent-bot/config';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TEST_ADMIN_TOKEN, type TestGateway, createTestGateway } from '../test-support/test-gateway.js';

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
    for (let i = 1; i <= 1000; i++) {
      const response = await gateway.app.inject({ method: 'GET', url: '/api/bots', headers, remoteAddress });
      if (response.statusCode !== 200) throw new Error(`request ${i} got ${response.statusCode}`);
    }
    const limited = await gateway.app.inject({ method: 'GET', url: '/api/bots', headers, remoteAddress });
    expect(limited.statusCode).toBe(429);
    expect(Number(limited.headers['retry-after'])).toBeGreaterThan(0);
    expect(limited.json().error.code).toBe('RATE_LIMITED');
    // Another client is unaffected, and so are health probes from the limited one.
    const other = await gateway.app.inject({ method: 'GET', url: '/api/bots', headers, remoteAddress: '203.0.113.8' });
    expect(other.statusCode).toBe(200);
    const health = await gateway.app.inject({ method: 'GET', url: '/health', remoteAddress });
    expect(health.statusCode).not.toBe(429);
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
