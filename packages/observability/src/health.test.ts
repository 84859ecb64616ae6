import { describe, expect, it } from 'vitest';
import { createHealthAggregator, type HealthCheck } from './health.js';

const ok = (name: string, critical = true, details?: Record<string, unknown>): HealthCheck => ({
  name,
  critical,
  run: async () => details,
});
const failing = (name: string, critical = true): HealthCheck => ({
  name,
  critical,
  run: async () => {
    throw new Error(`${name} is down`);
  },
});

describe('createHealthAggregator', () => {
  it('is healthy when every check passes, with details, latency, version and uptime', async () => {
    let clock = 1_000_000;
    const health = createHealthAggregator({
      version: '1.2.3',
      checks: [ok('database', true, { schema_version: 1 }), ok('workers', false)],
      now: () => clock,
      startedAt: 1_000_000,
    });
    clock += 42_400;
    const report = await health.report();
    expect(report.status).toBe('healthy');
    expect(report.version).toBe('1.2.3');
    expect(report.uptime_seconds).toBe(42);
    expect(report.timestamp).toBe(new Date(clock).toISOString());
    expect(report.checks.database).toMatchObject({ healthy: true, schema_version: 1 });
    expect(typeof report.checks.database?.latency_ms).toBe('number');
  });

  it('is degraded when only an optional check fails', async () => {
    const report = await createHealthAggregator({ version: '1', checks: [ok('database'), failing('workers', false)] }).report();
    expect(report.status).toBe('degraded');
    expect(report.checks.workers).toMatchObject({ healthy: false, error: 'workers is down' });
  });

  it('is unhealthy when a critical check fails, whatever the optional ones say', async () => {
    const report = await createHealthAggregator({
      version: '1',
      checks: [failing('workers', false), failing('redis'), ok('database')],
    }).report();
    expect(report.status).toBe('unhealthy');
    expect(report.checks.redis?.healthy).toBe(false);
    expect(report.checks.database?.healthy).toBe(true);
  });

  it('counts a check that hangs as failed after the timeout, without waiting for it', async () => {
    const hanging: HealthCheck = { name: 'redis', critical: true, run: () => new Promise(() => {}) };
    const started = Date.now();
    const report = await createHealthAggregator({ version: '1', checks: [hanging, ok('database')], timeoutMs: 100 }).report();
    expect(Date.now() - started).toBeLessThan(1000);
    expect(report.status).toBe('unhealthy');
    expect(report.checks.redis).toMatchObject({ healthy: false, error: 'timed out after 100 ms' });
  });
});
