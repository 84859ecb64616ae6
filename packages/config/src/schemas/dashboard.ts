import { z } from 'zod';
import { envPositiveInt } from '../env-types.js';

export const dashboardEnv = z.object({
  /** A running bot with no heartbeat for this long is shown as stale. */
  BOT_STALE_AFTER_SECONDS: envPositiveInt.default(300),
  /** How often a worker heartbeats the bots it serves; keep it well below BOT_STALE_AFTER_SECONDS. */
  BOT_HEARTBEAT_INTERVAL_SECONDS: envPositiveInt.default(30),
  /** Requests per minute one client (IP) may make to /api routes; past it, 429 with Retry-After. */
  API_RATE_LIMIT_PER_MINUTE: envPositiveInt.default(1000),
  /**
   * Browser origins besides PUBLIC_URL allowed to call the API (CORS) and open the WebSocket,
   * comma-separated, e.g. `https://ops.example.com,http://localhost:5173`. Empty: PUBLIC_URL only.
   */
  CORS_ORIGINS: z.string().default(''),
  /** Where the built dashboard lives; defaults to apps/dashboard/dist next to the gateway. */
  DASHBOARD_DIR: z.string().min(1).optional(),
});

function parseOrigins(value: string): string[] {
  return value
    .split(',')
    .map((origin) => origin.trim().replace(/\/+$/, ''))
    .filter((origin) => origin !== '');
}

export function toDashboardConfig(env: z.output<typeof dashboardEnv>) {
  return {
    botStaleAfterMs: env.BOT_STALE_AFTER_SECONDS * 1000,
    botHeartbeatIntervalMs: env.BOT_HEARTBEAT_INTERVAL_SECONDS * 1000,
    apiRateLimitPerMinute: env.API_RATE_LIMIT_PER_MINUTE,
    corsOrigins: parseOrigins(env.CORS_ORIGINS),
    dashboardDir: env.DASHBOARD_DIR,
  };
}
export type DashboardConfig = ReturnType<typeof toDashboardConfig>;
