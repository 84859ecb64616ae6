import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/** Agent jobs take seconds to an hour; HTTP-style buckets would put every task in +Inf. */
export const TASK_DURATION_BUCKETS = [1, 5, 15, 30, 60, 120, 300, 600, 1200, 1800, 3600];
/** Webhook ingest is milliseconds. */
export const INGEST_DURATION_BUCKETS = [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5];

export interface MetricsOptions {
  /** Fixed labels on every series, e.g. { service: 'gateway' }. */
  defaultLabels?: Record<string, string>;
  /** Off in tests that build many registries in one process. */
  collectProcessMetrics?: boolean;
}

export type Metrics = ReturnType<typeof createMetrics>;

/** One registry per process with the product's metrics; names are agentbot_* in base units. */
export function createMetrics(options: MetricsOptions = {}) {
  const registry = new Registry();
  if (options.defaultLabels) registry.setDefaultLabels(options.defaultLabels);
  if (options.collectProcessMetrics !== false) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    tasksTotal: new Counter({
      name: 'agentbot_tasks_total',
      help: 'Tasks finished, by outcome and runner.',
      labelNames: ['status', 'runner'] as const,
      registers,
    }),
    tasksCreatedTotal: new Counter({
      name: 'agentbot_tasks_created_total',
      help: 'Tasks created, by source and kind.',
      labelNames: ['source', 'kind'] as const,
      registers,
    }),
    taskDurationSeconds: new Histogram({
      name: 'agentbot_task_duration_seconds',
      help: 'Wall time of one task attempt.',
      labelNames: ['status', 'runner'] as const,
      buckets: TASK_DURATION_BUCKETS,
      registers,
    }),
    tasksActive: new Gauge({
      name: 'agentbot_tasks_active',
      help: 'Tasks running in this worker process.',
      registers,
    }),
    deliveriesTotal: new Counter({
      name: 'agentbot_deliveries_total',
      help: 'Webhook deliveries, by provider, event and outcome.',
      labelNames: ['provider', 'event', 'outcome'] as const,
      registers,
    }),
    jobsStalledTotal: new Counter({
      name: 'agentbot_jobs_stalled_total',
      help: 'Jobs found stalled (their worker died or hung) and handed to another worker.',
      registers,
    }),
    taskEndingsSweptTotal: new Counter({
      name: 'agentbot_task_endings_swept_total',
      help: 'Settled tasks whose ending the sweep told because their worker stopped first: reported, retry (comment not written), gave_up.',
      labelNames: ['outcome'] as const,
      registers,
    }),
    ingestDurationSeconds: new Histogram({
      name: 'agentbot_webhook_ingest_duration_seconds',
      help: 'Time from request to acknowledgement for a webhook delivery.',
      labelNames: ['provider'] as const,
      buckets: INGEST_DURATION_BUCKETS,
      registers,
    }),
  };
}

/**
 * Registers a gauge whose value is read when Prometheus scrapes, so it is never stale
 * (queue depth is the main use).
 */
export function registerScrapeGauge(
  registry: Registry,
  options: {
    name: string;
    help: string;
    labelNames: string[];
    read: () => Promise<Array<{ labels: Record<string, string>; value: number }>>;
  },
): void {
  new Gauge({
    name: options.name,
    help: options.help,
    labelNames: options.labelNames,
    registers: [registry],
    async collect() {
      this.reset();
      try {
        for (const sample of await options.read()) this.set(sample.labels, sample.value);
      } catch {
        // A dependency that is down yields no samples; /health reports why.
      }
    },
  });
}

/**
 * The gateway's view of the whole deployment, read at scrape time: queue depth by state
 * (agentbot_queue_jobs) and workers with a recent heartbeat (agentbot_workers_alive). Alert rules
 * in deploy/prometheus use both names.
 */
export function registerDeploymentGauges(
  registry: Registry,
  read: { queueDepth: () => Promise<Record<string, number>>; liveWorkers: () => Promise<number> },
): void {
  registerScrapeGauge(registry, {
    name: 'agentbot_queue_jobs',
    help: 'Jobs in the task queue by state, read at scrape time.',
    labelNames: ['state'],
    read: async () => Object.entries(await read.queueDepth()).map(([state, value]) => ({ labels: { state }, value })),
  });
  registerScrapeGauge(registry, {
    name: 'agentbot_workers_alive',
    help: 'Worker processes that sent a heartbeat recently, read at scrape time.',
    labelNames: [],
    read: async () => [{ labels: {}, value: await read.liveWorkers() }],
  });
}
