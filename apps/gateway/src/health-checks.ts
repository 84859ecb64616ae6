import type { JobQueue, WorkerRegistry } from '@agent-bot/contracts';
import type { HealthCheck } from '@agent-bot/observability';

/** /health's checks: database and redis are critical; no live worker only degrades the service. */
export function gatewayHealthChecks(options: {
  pingDatabase: () => Promise<{ schemaVersion: number }>;
  queue: JobQueue;
  workers: WorkerRegistry;
}): HealthCheck[] {
  return [
    { name: 'database', critical: true, run: async () => ({ schema_version: (await options.pingDatabase()).schemaVersion }) },
    {
      name: 'redis',
      critical: true,
      run: async () => {
        await options.queue.ping();
        return undefined;
      },
    },
    { name: 'queue', critical: true, run: async () => ({ depth: await options.queue.depth() }) },
    {
      name: 'workers',
      critical: false,
      run: async () => {
        const workers = await options.workers.list();
        if (workers.length === 0) throw new Error('no worker has sent a heartbeat in the last 30 seconds');
        return { count: workers.length, active_jobs: workers.reduce((sum, w) => sum + w.active, 0) };
      },
    },
  ];
}
