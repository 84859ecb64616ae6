import type { Priority } from '@agent-bot/contracts';

/**
 * BullMQ runs lower numbers first and treats 0 as "no priority", so P0..P3 map to 1..4; every job
 * gets a priority so ordering is decided by one rule.
 */
export function toBullPriority(priority: Priority): number {
  return Number(priority.slice(1)) + 1;
}
