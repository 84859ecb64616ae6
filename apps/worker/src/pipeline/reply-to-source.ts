import { type Task, errorCodeOf } from '@agent-bot/contracts';
import type { RunTaskDeps } from './pipeline-deps.js';
import type { TaskReporter } from './task-reporter.js';

/** Providers whose tasks are answered through a ReplyChannel (GitHub has its tracking comment). */
const REPLY_SOURCES = new Set<Task['source']>(['slack', 'jira', 'sentry']);

/** Where a reply went, as its `reply.posted` log line names it. */
export type ReplyChannelName = 'slack' | 'jira' | 'sentry' | 'review-thread';

/** The data of a `reply.posted` line: the channel, and whether it was the task's answer. */
export interface PostedReplyData {
  channel: ReplyChannelName;
  /** The success answer (at most once per task), not an ending's notice (failed, cancelled). */
  answer?: boolean;
  url?: string;
}

/**
 * The answer an earlier attempt of this task already posted to `channel`, from the task's own log
 * (written right after each post). A later attempt (a job taken over after its worker died while
 * publishing, or a retry) must not answer twice.
 */
export async function answerAlreadyPosted(
  deps: Pick<RunTaskDeps, 'taskEvents'>,
  taskId: string,
  channel: ReplyChannelName,
): Promise<PostedReplyData | undefined> {
  const posted = await deps.taskEvents.listOfKind(taskId, 'reply.posted');
  return posted
    .map((event) => event.data as Partial<PostedReplyData>)
    .find((data): data is PostedReplyData => data.channel === channel && data.answer === true);
}

/**
 * Tasks from Slack, Jira or Sentry get their final answer where they came from. Best effort: the
 * task's outcome stands whatever happens here, and the task log says what happened and, when
 * nothing could be posted, why (a missing setting, a refused token, an API error).
 *
 * `answer`: this is the task's success answer, posted at most once per task: when the log says an
 * earlier attempt posted it, nothing is sent and its URL is returned. These providers offer no
 * marker the worker could search for, so a crash between the provider's answer and the log write
 * still posts twice (docs/pipeline.md, "Replies are posted once"). `earlierPublish: false` (no
 * earlier attempt of the task began publishing) skips reading the log: there is nothing to find.
 */
export async function replyToSource(
  deps: Pick<RunTaskDeps, 'replies' | 'repliesMissing' | 'logger' | 'taskEvents'>,
  task: Task,
  reporter: TaskReporter,
  text: string,
  options: { answer?: boolean; earlierPublish?: boolean } = {},
): Promise<string | undefined> {
  if (!REPLY_SOURCES.has(task.source)) return undefined;
  const name = task.source as ReplyChannelName;
  const answer = options.answer === true;
  const channel = deps.replies?.[task.source];
  if (!channel) {
    const missing = deps.repliesMissing?.[task.source] ?? `no ${task.source} reply channel is configured on this worker`;
    await reporter.log('reply.unconfigured', `answer not posted to ${task.source}: ${missing}`, { channel: name });
    return undefined;
  }
  try {
    // Only an attempt after one that began publishing can find an answer already posted.
    if (answer && options.earlierPublish !== false) {
      const earlier = await answerAlreadyPosted(deps, task.id, name);
      if (earlier) {
        await reporter.log('reply.already_posted', `answer already posted to ${task.source} by an earlier attempt`, {
          ...earlier,
        });
        return earlier.url;
      }
    }
    const posted = await channel.reply(task, text.slice(0, 6000));
    if (!posted) {
      await reporter.log('reply.skipped', `answer not posted to ${task.source}: the task names no thread, issue or channel`, {
        channel: name,
      });
      return undefined;
    }
    const data: PostedReplyData = { channel: name, ...(answer ? { answer } : {}), ...(posted.url ? { url: posted.url } : {}) };
    await reporter.log('reply.posted', `answer posted to ${task.source}`, { ...data });
    return posted.url;
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    deps.logger.warn({ err: error, taskId: task.id, source: task.source }, 'reply to the source not posted');
    await reporter.log('reply.failed', `answer not posted to ${task.source}: ${message}`, {
      channel: name,
      code: errorCodeOf(error),
    });
    return undefined;
  }
}
