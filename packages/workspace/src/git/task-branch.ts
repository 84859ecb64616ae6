/** The branch a task's changes are pushed to; every attempt of the task pushes the same one. */
export const taskBranch = (taskId: string) => `agent-bot/${taskId}`;
