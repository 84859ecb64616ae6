import { DEFAULT_PRIORITY, type Priority } from '@agent-bot/contracts';

const PRIORITY_LABEL = /^priority\s*[:/ -]?\s*p([0-3])$/i;

/** `priority:p0`..`priority:p3` (the most urgent wins); P2 without one. */
export function priorityFromLabels(labels: Array<{ name: string }> | undefined): Priority {
  let best: number | undefined;
  for (const label of labels ?? []) {
    const match = PRIORITY_LABEL.exec(label.name.trim());
    if (match) best = Math.min(best ?? 3, Number(match[1]));
  }
  return best === undefined ? DEFAULT_PRIORITY : (`P${best}` as Priority);
}
