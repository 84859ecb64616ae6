import { z } from 'zod';
import { envPositiveInt } from '../env-types.js';

export const workerEnv = z.object({
  /** Jobs one worker process runs at once. */
  WORKER_CONCURRENCY: envPositiveInt.max(64).default(2),
  /** On SIGTERM, how long running jobs may finish before they are abandoned to another worker. */
  WORKER_DRAIN_SECONDS: envPositiveInt.default(30),
  /** How long a job's lock lives without renewal; a dead worker's job is taken over after about this. */
  WORKER_LOCK_DURATION_MS: envPositiveInt.min(1000).default(30_000),
  /** How often workers look for jobs whose lock expired (stalled). */
  WORKER_STALLED_INTERVAL_MS: envPositiveInt.min(500).default(30_000),
  /** Hard limit on one task's wall time; the agent's process tree is killed past it. */
  TASK_TIMEOUT_SECONDS: envPositiveInt.default(1800),
  /** Cost limit per task in US dollars. */
  TASK_MAX_COST_USD: z.coerce.number().positive().default(5),
  /** Where repository mirrors and worktrees live. */
  WORKSPACE_DIR: z.string().min(1).default('.workspaces'),
});

export function toWorkerConfig(env: z.output<typeof workerEnv>) {
  return {
    concurrency: env.WORKER_CONCURRENCY,
    drainMs: env.WORKER_DRAIN_SECONDS * 1000,
    lockDurationMs: env.WORKER_LOCK_DURATION_MS,
    stalledIntervalMs: env.WORKER_STALLED_INTERVAL_MS,
    taskTimeoutMs: env.TASK_TIMEOUT_SECONDS * 1000,
    taskMaxCostUsd: env.TASK_MAX_COST_USD,
    workspaceDir: env.WORKSPACE_DIR,
  };
}
export type WorkerConfig = ReturnType<typeof toWorkerConfig>;
