export interface HealthCheck {
  name: string;
  /** A critical check failing makes the service unhealthy; an optional one only degrades it. */
  critical: boolean;
  /** Resolves with details to report, rejects when unhealthy. */
  run: () => Promise<Record<string, unknown> | undefined>;
}

export interface CheckResult {
  healthy: boolean;
  latency_ms: number;
  error?: string;
  [detail: string]: unknown;
}

export interface HealthReport {
  status: 'healthy' | 'degraded' | 'unhealthy';
  version: string;
  uptime_seconds: number;
  timestamp: string;
  checks: Record<string, CheckResult>;
}

export interface HealthAggregatorOptions {
  version: string;
  checks: HealthCheck[];
  /** A check that takes longer counts as failed, so /health answers within about this long. */
  timeoutMs?: number;
  now?: () => number;
  startedAt?: number;
}

function withTimeout<T>(promise: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`timed out after ${ms} ms`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

export function createHealthAggregator(options: HealthAggregatorOptions) {
  const now = options.now ?? Date.now;
  const startedAt = options.startedAt ?? now();
  const timeoutMs = options.timeoutMs ?? 1500;

  async function runOne(check: HealthCheck): Promise<CheckResult> {
    const started = performance.now();
    try {
      const details = await withTimeout(check.run(), timeoutMs);
      return { healthy: true, latency_ms: Math.round((performance.now() - started) * 100) / 100, ...details };
    } catch (error) {
      return {
        healthy: false,
        latency_ms: Math.round((performance.now() - started) * 100) / 100,
        error: error instanceof Error ? error.message : String(error),
      };
    }
  }

  return {
    async report(): Promise<HealthReport> {
      const results = await Promise.all(options.checks.map(runOne));
      const checks: Record<string, CheckResult> = {};
      let status: HealthReport['status'] = 'healthy';
      options.checks.forEach((check, index) => {
        const result = results[index] as CheckResult;
        checks[check.name] = result;
        if (!result.healthy) status = check.critical ? 'unhealthy' : status === 'unhealthy' ? status : 'degraded';
      });
      return {
        status,
        version: options.version,
        uptime_seconds: Math.round((now() - startedAt) / 1000),
        timestamp: new Date(now()).toISOString(),
        checks,
      };
    },
  };
}
export type HealthAggregator = ReturnType<typeof createHealthAggregator>;
