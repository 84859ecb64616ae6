import type { JobHandler } from '@agent-bot/contracts';
import { type RunTaskDeps, runTask } from '../pipeline/run-task.js';

/** `task.run`: thin adapter from the queue's job to the pipeline. */
export function createTaskRunProcessor(deps: RunTaskDeps): JobHandler<'task.run'> {
  return (payload, context) => runTask(deps, payload.taskId, context);
}
