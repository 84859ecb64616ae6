import { z } from 'zod';

/**
 * Every job the system runs, with its payload schema and retry policy. Both the enqueuer and the
 * processor validate against the same entry, so a payload can never drift between them.
 */
export interface JobDefinition<S extends z.ZodType = z.ZodType> {
  payload: S;
  /** Total tries including the first. */
  attempts: number;
  backoff: { type: 'exponential' | 'fixed'; delayMs: number };
  /** Upper bound on one try; the processor aborts its work at this point. */
  timeoutMs: number;
}

export const jobCatalog = {
  'task.run': {
    payload: z.object({ taskId: z.uuid() }),
    attempts: 3,
    backoff: { type: 'exponential', delayMs: 10_000 },
    timeoutMs: 60 * 60 * 1000,
  },
  /**
   * Answer one chat message. Not retried: tokens may already have streamed to the viewer, so a
   * failure is written into the chat at once and the user resends.
   */
  'chat.reply': {
    payload: z.object({ botId: z.string().min(1).max(64), messageId: z.string().regex(/^\d+$/) }),
    attempts: 1,
    backoff: { type: 'fixed', delayMs: 1000 },
    timeoutMs: 5 * 60 * 1000,
  },
} as const satisfies Record<string, JobDefinition>;

export type JobCatalog = typeof jobCatalog;
export type JobName = keyof JobCatalog;
export type JobPayload<N extends JobName> = z.infer<JobCatalog[N]['payload']>;
export const JOB_NAMES = Object.keys(jobCatalog) as JobName[];

export function isJobName(name: string): name is JobName {
  return Object.hasOwn(jobCatalog, name);
}

/** Parses a payload for `name`, throwing a ZodError that names every bad field. */
export function parseJobPayload<N extends JobName>(name: N, payload: unknown): JobPayload<N> {
  return jobCatalog[name].payload.parse(payload) as JobPayload<N>;
}
