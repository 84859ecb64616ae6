export { createLogger, type CreateLoggerOptions, type Logger } from './create-logger.js';
export { REDACT_PATHS, SENSITIVE_QUERY_PARAMS, redactUrl, redactTokens } from './redact-paths.js';
export {
  createMetrics,
  registerScrapeGauge,
  registerDeploymentGauges,
  TASK_DURATION_BUCKETS,
  INGEST_DURATION_BUCKETS,
  type Metrics,
  type MetricsOptions,
} from './metrics.js';
export {
  createHealthAggregator,
  type HealthAggregator,
  type HealthCheck,
  type HealthReport,
  type CheckResult,
} from './health.js';
