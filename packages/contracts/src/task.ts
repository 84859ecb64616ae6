import { z } from 'zod';
import { prioritySchema } from './priority.js';

export const TASK_STATUSES = ['queued', 'running', 'succeeded', 'failed', 'cancelled'] as const;
export const taskStatusSchema = z.enum(TASK_STATUSES);
export type TaskStatus = z.infer<typeof taskStatusSchema>;

/** What the agent is asked to do; derived from the triggering event. */
export const TASK_KINDS = ['fix', 'review', 'answer', 'investigate', 'chat', 'noop'] as const;
export const taskKindSchema = z.enum(TASK_KINDS);
export type TaskKind = z.infer<typeof taskKindSchema>;

export const PROVIDERS = ['github', 'slack', 'jira', 'sentry', 'api', 'dashboard'] as const;
export const providerSchema = z.enum(PROVIDERS);
export type Provider = z.infer<typeof providerSchema>;

export const RUNNERS = ['claude-code', 'ollama', 'noop'] as const;
export const runnerSchema = z.enum(RUNNERS);
export type RunnerName = z.infer<typeof runnerSchema>;

/** `owner/name`: no traversal, no option injection, GitHub's own character set. */
export const repoFullNameSchema = z
  .string()
  .regex(/^[A-Za-z0-9_.-]{1,100}\/[A-Za-z0-9_.-]{1,100}$/, 'must be owner/name')
  .refine((value) => !value.split('/').some((part) => part === '.' || part === '..' || part.startsWith('-')), {
    message: 'must not contain "." or ".." segments or start a segment with "-"',
  });

/** A request to do work, produced by a provider adapter or the REST API. */
export const taskRequestSchema = z.object({
  kind: taskKindSchema,
  priority: prioritySchema,
  source: providerSchema,
  prompt: z.string().min(1).max(100_000),
  title: z.string().max(500).optional(),
  repo: repoFullNameSchema.optional(),
  installationId: z.string().optional(),
  requestedBy: z.string().max(200).optional(),
  runner: runnerSchema.optional(),
  model: z.string().max(200).optional(),
  botId: z.string().max(100).optional(),
  deliveryId: z.uuid().optional(),
  /** Provider-specific data needed to reply where the event came from (issue number, thread, channel...). */
  context: z.record(z.string(), z.unknown()).default({}),
});
export type TaskRequest = z.input<typeof taskRequestSchema>;
export type ParsedTaskRequest = z.output<typeof taskRequestSchema>;

export interface TaskUsage {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  turns?: number;
}

export interface TaskResultLinks {
  commentUrl?: string;
  pullRequestUrl?: string;
  branch?: string;
}

export interface Task {
  id: string;
  kind: TaskKind;
  status: TaskStatus;
  priority: z.infer<typeof prioritySchema>;
  source: Provider;
  prompt: string;
  title: string | null;
  repo: string | null;
  installationId: string | null;
  requestedBy: string | null;
  runner: RunnerName | null;
  model: string | null;
  botId: string | null;
  deliveryId: string | null;
  context: Record<string, unknown>;
  attempts: number;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  result: TaskResultLinks & Record<string, unknown>;
  errorCode: string | null;
  errorMessage: string | null;
  createdAt: Date;
  startedAt: Date | null;
  finishedAt: Date | null;
  heartbeatAt: Date | null;
  /**
   * When the worker started to publish the result (push, pull request, replies): from then on the
   * task can no longer be cancelled. Null before.
   */
  publishingAt: Date | null;
  durationMs: number | null;
}

/**
 * What one run (one execution of an attempt; see AttemptRun) of a task spent: the task's totals
 * are the sum of its runs. Figures are cumulative, as last written by the run.
 */
export interface TaskRun {
  attempt: number;
  /** Null for a run recorded without an id (before run ids existed). */
  runId: string | null;
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  /** When the run's usage was first written. */
  firstRecordedAt: Date;
  /** When its usage was last written (a running figure or its verdict). */
  recordedAt: Date;
}

export interface TaskEvent {
  id: string;
  taskId: string;
  kind: string;
  message: string;
  data: Record<string, unknown>;
  createdAt: Date;
}
