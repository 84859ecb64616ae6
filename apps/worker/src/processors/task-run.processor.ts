import type { JobHandler } from '@agent-bot/contracts';
import { type RunTaskDeps, runTask } from '../pipeline/run-task.js';

export type TaskRunProcessorDeps = RunTaskDeps & {
  /**
   * The GitHub App's ports as of now, asked per task (cached by the source): an app created at
   * /setup after this worker started is used without a restart. Absent: `github` as given.
   */
  resolveGitHub?: () => Promise<RunTaskDeps['github']>;
};

/** `task.run`: thin adapter from the queue's job to the pipeline. */
export function createTaskRunProcessor({ resolveGitHub, ...deps }: TaskRunProcessorDeps): JobHandler<'task.run'> {
  return async (payload, context) => {
    const github = resolveGitHub ? await resolveGitHub() : deps.github;
    return runTask({ ...deps, github }, payload.taskId, context);
  };
}
