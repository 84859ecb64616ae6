import type { JobQueue, WorkerRegistry } from '@agent-bot/contracts';
import { type Metrics, registerDeploymentGauges } from '@agent-bot/observability';

/** agentbot_queue_jobs{state} and agentbot_workers_alive, read from Redis at scrape time. */
export function registerDeploymentMetrics(
  metrics: Metrics,
  queue: Pick<JobQueue, 'depth'>,
  workers: Pick<WorkerRegistry, 'list'>,
): void {
  registerDeploymentGauges(metrics.registry, {
    queueDepth: () => queue.depth(),
    liveWorkers: async () => (await workers.list()).length,
  });
}
