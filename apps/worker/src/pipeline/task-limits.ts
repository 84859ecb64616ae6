import { PermanentJobError, type Task } from '@agent-bot/contracts';
import type { RunTaskDeps } from './pipeline-deps.js';

type Limits = RunTaskDeps['limits'];

/**
 * What this run may still spend. TASK_MAX_COST_USD and TASK_MAX_TOKENS limit the task, not each
 * run: a retried task, or a job taken over from a dead worker, already spent what the row holds
 * (the sum over its earlier runs), so each run gets only what is left. Without this a task retried
 * three times could cost three times its limit. Throws the limit's own code, before the agent
 * starts, when nothing is left.
 */
export function remainingLimits(limits: Limits, task: Pick<Task, 'costUsd' | 'inputTokens' | 'outputTokens'>): Limits {
  const maxCostUsd = limits.maxCostUsd - task.costUsd;
  if (task.costUsd > 0 && maxCostUsd <= 0) {
    throw new PermanentJobError(
      'TASK_BUDGET_COST',
      `earlier attempts of this task already spent $${task.costUsd.toFixed(4)} of its $${limits.maxCostUsd} limit (TASK_MAX_COST_USD)`,
    );
  }
  const spentTokens = task.inputTokens + task.outputTokens;
  const maxTokens = limits.maxTokens === undefined ? undefined : limits.maxTokens - spentTokens;
  if (maxTokens !== undefined && spentTokens > 0 && maxTokens <= 0) {
    throw new PermanentJobError(
      'TASK_BUDGET_TOKENS',
      `earlier attempts of this task already used ${spentTokens} of its ${limits.maxTokens} tokens (TASK_MAX_TOKENS)`,
    );
  }
  return { ...limits, maxCostUsd, ...(maxTokens === undefined ? {} : { maxTokens }) };
}

/** The task log's line for a run that starts with less than the whole limit; undefined for a first run. */
export function remainingLimitsNote(limits: Limits, remaining: Limits): string | undefined {
  if (remaining.maxCostUsd === limits.maxCostUsd && remaining.maxTokens === limits.maxTokens) return undefined;
  const tokens =
    remaining.maxTokens === undefined || limits.maxTokens === undefined
      ? ''
      : ` and ${remaining.maxTokens} of its ${limits.maxTokens} tokens`;
  return `earlier attempts spent part of this task's limits: this run may spend $${remaining.maxCostUsd.toFixed(4)} of its $${limits.maxCostUsd}${tokens}`;
}
