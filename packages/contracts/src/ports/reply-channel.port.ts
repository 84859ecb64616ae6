import type { Task } from '../task.js';

/**
 * Where a task from Slack, Jira or Sentry gets its answer: the thread, issue or event it came
 * from (`task.context` holds the provider's reference). One implementation per provider.
 */
export interface ReplyChannel {
  /** Posts `text` as the task's final answer; null when the task's context names no place to reply. */
  reply(task: Task, text: string): Promise<{ url?: string } | null>;
}
