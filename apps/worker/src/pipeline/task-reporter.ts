import { type EventBus, type LiveEvent, type TaskEventRepository, liveChannels } from '@agent-bot/contracts';
import type { Logger } from '@agent-bot/observability';

/**
 * Records a task's steps: each goes to task_events (the durable log) and then out over the live
 * bus. Publishing is best effort; the database row is the record a viewer can always reload.
 */
export class TaskReporter {
  constructor(
    private readonly deps: { taskEvents: TaskEventRepository; events: EventBus; logger: Logger },
    private readonly taskId: string,
  ) {}

  async log(kind: string, message: string, data?: Record<string, unknown>): Promise<void> {
    const event = await this.deps.taskEvents.append(this.taskId, { kind, message, data });
    await this.publish({
      kind: 'task.log',
      taskId: this.taskId,
      eventId: event.id,
      logKind: kind,
      message,
      at: event.createdAt.toISOString(),
    });
  }

  /**
   * A streamed model token: published live only (a task.log line of kind `agent.token` with no
   * stored event), since the whole text is recorded once when the turn ends.
   */
  async token(token: string): Promise<void> {
    await this.publish({
      kind: 'task.log',
      taskId: this.taskId,
      eventId: '',
      logKind: 'agent.token',
      message: token,
      at: new Date().toISOString(),
    });
  }

  async status(status: Extract<LiveEvent, { kind: 'task.status' }>['status'], errorMessage?: string): Promise<void> {
    const event: LiveEvent = { kind: 'task.status', taskId: this.taskId, status, at: new Date().toISOString(), errorMessage };
    await this.publish(event);
    await this.publish(event, liveChannels.tasks);
  }

  private async publish(event: LiveEvent, channel = liveChannels.task(this.taskId)): Promise<void> {
    try {
      await this.deps.events.publish(channel, event);
    } catch (error) {
      this.deps.logger.debug({ err: error, taskId: this.taskId }, 'live event not published');
    }
  }
}
