import { type HealthAggregator, createHealthAggregator, createLogger, createMetrics } from '@agent-bot/observability';
import type { FastifyInstance } from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildHealthServer } from './health-server.js';

describe('worker health server', () => {
  let app: FastifyInstance;
  let failing: FastifyInstance;
  beforeAll(async () => {
    const logger = createLogger({ name: 'worker-test', level: 'silent' });
    const metrics = createMetrics({ collectProcessMetrics: false });
    app = await buildHealthServer({ logger, metrics, health: createHealthAggregator({ version: 'test', checks: [] }) });
    // A health report that throws (a bug, not an unhealthy dependency) must not leak Fastify's own body.
    const broken: HealthAggregator = {
      report: async () => {
        throw new Error('boom: internal detail');
      },
    } as unknown as HealthAggregator;
    failing = await buildHealthServer({ logger, metrics, health: broken });
  });
  afterAll(async () => {
    await app?.close();
    await failing?.close();
  });

  it('serves its probes', async () => {
    expect((await app.inject({ method: 'GET', url: '/health/live' })).json()).toEqual({ status: 'alive' });
    expect((await app.inject({ method: 'GET', url: '/health' })).statusCode).toBe(200);
  });

  it('answers an unknown path or method with a 404 in the project error format', async () => {
    for (const [method, url] of [
      ['GET', '/nope?x=1'],
      ['POST', '/health'],
    ] as const) {
      const response = await app.inject({ method, url });
      expect(response.statusCode).toBe(404);
      expect(response.headers['content-type']).toMatch(/^application\/json/);
      expect(response.json()).toEqual({ error: { code: 'NOT_FOUND', message: `no route for ${method} ${url.split('?')[0]}` } });
    }
  });

  it('answers an internal error as 500 INTERNAL without its details', async () => {
    const response = await failing.inject({ method: 'GET', url: '/health' });
    expect(response.statusCode).toBe(500);
    expect(response.json()).toEqual({ error: { code: 'INTERNAL', message: 'internal error' } });
  });
});
