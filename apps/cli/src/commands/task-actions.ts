import type { CliIo } from '../cli-io.js';
import { CliError } from '../cli-io.js';
import { GatewayRequestError, type GatewayClient } from '../gateway-client.js';

interface TaskView {
  id: string;
  status: string;
  error_message: string | null;
}

/** Runs a finished task again: the gateway copies its request into a new task, which is queued. */
export async function retryTask(client: GatewayClient, io: CliIo, id: string, options: { json?: boolean }) {
  const answer = await client
    .request<{ task: TaskView; enqueued: boolean }>('POST', `/api/tasks/${encodeURIComponent(id)}/retry`)
    .catch((error: unknown) => {
      throw explain(error, id, {
        TASK_NOT_RETRYABLE: (detail) =>
          `cannot retry task ${id} (TASK_NOT_RETRYABLE): ${detail}. Only a finished task can be retried: wait for it ` +
          `(agent-bot task ${id}) or stop it first (agent-bot cancel ${id})`,
      });
    });
  if (options.json) return io.stdout(`${JSON.stringify(answer, null, 2)}\n`);
  const { task, enqueued } = answer;
  io.stdout(`retried ${id} as task ${task.id} (${task.status})\n`);
  // Not an error: the new task is stored, and the gateway's reconciler queues it once Redis answers.
  if (!enqueued) io.stdout('note: the queue was unreachable; the task is stored and will be queued when Redis is back\n');
  io.stdout(`follow it: agent-bot task ${task.id}\n`);
}

/** Cancels a queued or running task; a running agent is stopped by the worker that holds it. */
export async function cancelTask(client: GatewayClient, io: CliIo, id: string, options: { reason?: string; json?: boolean }) {
  const body = options.reason === undefined ? undefined : { reason: options.reason };
  const answer = await client
    .request<{ task: TaskView }>('POST', `/api/tasks/${encodeURIComponent(id)}/cancel`, body)
    .catch((error: unknown) => {
      throw explain(error, id, {
        TASK_NOT_CANCELLABLE: (detail) =>
          `cannot cancel task ${id} (TASK_NOT_CANCELLABLE): ${detail}. Only a queued or running task can be cancelled; ` +
          `to run it again: agent-bot retry ${id}`,
        TASK_PUBLISHING: () =>
          `cannot cancel task ${id} (TASK_PUBLISHING): it is already publishing its result (branch, pull request, replies), ` +
          `so it finishes as published. Follow it: agent-bot task ${id}`,
      });
    });
  if (options.json) return io.stdout(`${JSON.stringify(answer, null, 2)}\n`);
  io.stdout(`cancelled task ${id}${answer.task.error_message ? ` (${answer.task.error_message})` : ''}\n`);
}

/** Turns the gateway's refusals that have a next step into messages that name it. */
function explain(error: unknown, id: string, messages: Record<string, (detail: string) => string>): unknown {
  if (!(error instanceof GatewayRequestError)) return error;
  if (error.code === 'TASK_NOT_FOUND') {
    return new CliError(`task ${id} not found (TASK_NOT_FOUND): list recent tasks with agent-bot tasks`);
  }
  const message = error.code ? messages[error.code] : undefined;
  return message ? new CliError(message(aboutIt(error.detail ?? error.message, id))) : error;
}

/** "task <id> is still running" -> "it is still running": the message already names the task. */
function aboutIt(detail: string, id: string): string {
  const prefix = `task ${id} `;
  return detail.startsWith(prefix) ? `it ${detail.slice(prefix.length)}` : detail;
}
