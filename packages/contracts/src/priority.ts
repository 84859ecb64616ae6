import { z } from 'zod';

/** P0 is urgent (chat replies, incidents), P3 is background work. P2 is the default for a mention. */
export const PRIORITIES = ['P0', 'P1', 'P2', 'P3'] as const;
export const prioritySchema = z.enum(PRIORITIES);
export type Priority = z.infer<typeof prioritySchema>;
export const DEFAULT_PRIORITY: Priority = 'P2';
