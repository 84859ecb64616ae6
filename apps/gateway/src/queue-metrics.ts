import type { JobQueue } from '@agent-bot/contracts';
import { type Metrics, registerScrapeGauge } from '@agent-bot/observability';

/** agentbot_queue_jobs{state}: queue depth read from Redis at scrape time, never stale. */
export function registerQueueDepthGauge(metrics: Metrics, queue: Pick<JobQueue, 'depth'>): void {
  registerScrapeGauge(metrics.registry, {
    name: 'agentbot_queue_jobs',
    help: 'Jobs in the task queue by state, read at scrape time.',
    labelNames: ['state'],
    read: async () => Object.entries(await queue.depth()).map(([state, value]) => ({ labels: { state }, value })),
  });
}
