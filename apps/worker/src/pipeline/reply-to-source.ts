import { type Task, errorCodeOf } from '@agent-bot/contracts';
import type { RunTaskDeps } from './pipeline-deps.js';
import type { TaskReporter } from './task-reporter.js';

/** Providers whose tasks are answered through a ReplyChannel (GitHub has its tracking comment). */
const REPLY_SOURCES = new Set<Task['source']>(['slack', 'jira', 'sentry']);

/**
 * Tasks from Slack, Jira or Sentry get their final answer where they came from. Best effort: the
 * task's outcome stands whatever happens here, and the task log says what happened and, when
 * nothing could be posted, why (a missing setting, a refused token, an API error).
 */
export async function replyToSource(
  deps: Pick<RunTaskDeps, 'replies' | 'repliesMissing' | 'logger'>,
  task: Task,
  reporter: TaskReporter,
  text: string,
): Promise<string | undefined> {
  if (!REPLY_SOURCES.has(task.source)) return undefined;
  const channel = deps.replies?.[task.source];
  if (!channel) {
    const missing = deps.repliesMissing?.[task.source] ?? `no ${task.source} reply channel is configured on this worker`;
    await reporter.log('reply.unconfigured', `answer not posted to ${task.source}: ${missing}`);
    return undefined;
  }
  try {
    const posted = await channel.reply(task, text.slice(0, 6000));
    if (!posted) {
      await reporter.log('reply.skipped', `answer not posted to ${task.source}: the task names no thread, issue or channel`);
      return undefined;
    }
    await reporter.log('reply.posted', `answer posted to ${task.source}`, posted.url ? { url: posted.url } : undefined);
    return posted.url;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn({ err: error, taskId: task.id, source: task.source }, 'reply to the source not posted');
    await reporter.log('reply.failed', `answer not posted to ${task.source}: ${message}`, { code: errorCodeOf(error) });
    return undefined;
  }
}
