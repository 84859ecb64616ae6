import { type EventBus, type Unsubscribe, liveChannels } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';

/** The abort reason of a task someone cancelled (told apart from timeouts and shutdown). */
export class TaskCancelRequest extends Error {
  override readonly name = 'TaskCancelRequest';
}

/** Cancel requests for the tasks this worker is running. */
export interface TaskCancellations {
  /** Calls `onCancel` when a cancel request for `taskId` arrives; returns the stop function. */
  watch(taskId: string, onCancel: (reason: string) => void): () => void;
  close(): Promise<void>;
}

/**
 * One subscription per worker to the cancel-request channel. Every worker hears every request and
 * only the one running that task acts on it (the queue does not say which worker holds a job).
 */
export async function startTaskCancellations(deps: { events: EventBus; logger: Logger }): Promise<TaskCancellations> {
  const watchers = new Map<string, Set<(reason: string) => void>>();
  const unsubscribe: Unsubscribe = await deps.events.subscribe(liveChannels.taskCancels, (event) => {
    if (event.kind !== 'task.cancel_requested') return;
    const handlers = watchers.get(event.taskId);
    if (!handlers) return;
    deps.logger.info({ taskId: event.taskId }, 'cancel requested: stopping the task');
    for (const handler of handlers) handler(event.reason);
  });
  return {
    watch(taskId, onCancel) {
      let handlers = watchers.get(taskId);
      if (!handlers) {
        handlers = new Set();
        watchers.set(taskId, handlers);
      }
      handlers.add(onCancel);
      return () => {
        handlers.delete(onCancel);
        if (handlers.size === 0) watchers.delete(taskId);
      };
    },
    async close() {
      watchers.clear();
      await unsubscribe();
    },
  };
}
