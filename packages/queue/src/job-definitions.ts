import type { JobCatalog, JobDefinition, JobName } from '@agent-bot/contracts';

/**
 * The retry policy and payload schema per job, as the adapter uses them. Defaults to the contracts'
 * catalog; a deployment (or a test) may pass its own timings, but the payload schemas stay those of
 * the catalog's job names.
 */
export type JobDefinitions = { [N in JobName]: JobDefinition<JobCatalog[N]['payload']> };
