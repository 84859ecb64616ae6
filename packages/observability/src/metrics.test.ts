import { describe, expect, it } from 'vitest';
import { createMetrics, registerScrapeGauge } from './metrics.js';

describe('createMetrics', () => {
  it('registers agentbot_* series and the process metrics', async () => {
    const metrics = createMetrics({ defaultLabels: { service: 'test' } });
    metrics.tasksTotal.inc({ status: 'succeeded', runner: 'noop' });
    const text = await metrics.registry.metrics();
    expect(text).toContain('agentbot_tasks_total{status="succeeded",runner="noop",service="test"} 1');
    expect(text).toContain('process_cpu_user_seconds_total');
    expect(text).toContain('nodejs_eventloop_lag_seconds');
  });

  it('reads a scrape gauge at scrape time and survives a failing reader', async () => {
    const metrics = createMetrics({ collectProcessMetrics: false });
    let depth = 3;
    let fail = false;
    registerScrapeGauge(metrics.registry, {
      name: 'agentbot_queue_jobs',
      help: 'test',
      labelNames: ['state'],
      read: async () => {
        if (fail) throw new Error('redis down');
        return [{ labels: { state: 'waiting' }, value: depth }];
      },
    });
    expect(await metrics.registry.metrics()).toContain('agentbot_queue_jobs{state="waiting"} 3');
    depth = 5;
    expect(await metrics.registry.metrics()).toContain('agentbot_queue_jobs{state="waiting"} 5');
    fail = true;
    expect(await metrics.registry.metrics()).not.toContain('agentbot_queue_jobs{state="waiting"}');
  });
});
