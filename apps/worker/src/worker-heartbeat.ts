import { hostname } from 'node:os';
import type { JobConsumer, WorkerInfo, WorkerRegistry } from '@agent-bot/contracts';

/** Announces this worker every `intervalMs` so /health and the dashboard can list live workers. */
export function startWorkerHeartbeat(options: {
  registry: WorkerRegistry;
  consumer: Pick<JobConsumer, 'activeCount'>;
  id: string;
  concurrency: number;
  intervalMs?: number;
}): { stop(): Promise<void> } {
  const startedAt = new Date().toISOString();
  const beat = () => {
    const info: WorkerInfo = {
      id: options.id,
      hostname: hostname(),
      pid: process.pid,
      concurrency: options.concurrency,
      active: options.consumer.activeCount(),
      startedAt,
      lastSeenAt: new Date().toISOString(),
    };
    return options.registry.heartbeat(info).catch(() => {});
  };
  void beat();
  const timer = setInterval(beat, options.intervalMs ?? 10_000);
  timer.unref();
  return {
    async stop() {
      clearInterval(timer);
      await options.registry.remove(options.id).catch(() => {});
    },
  };
}
