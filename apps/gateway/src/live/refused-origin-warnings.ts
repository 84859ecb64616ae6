import type { Logger } from '@agent-bot/observability';

export interface RefusedOriginWarningsOptions {
  logger: Logger;
  publicUrl: string;
  allowedOrigins: string[];
  /** One warning per Origin per this interval. */
  intervalMs?: number;
  /** At most this many warnings per interval in all, so a flood of made-up Origins cannot flood the log. */
  maxPerInterval?: number;
  now?: () => number;
}

/**
 * Warns that a WebSocket was refused for its Origin, naming the Origin and PUBLIC_URL: the usual
 * cause is a PUBLIC_URL that is not the address the browser uses (e.g. PORT changed, PUBLIC_URL
 * not), and without this the operator saw only "live updates unavailable" in the dashboard. The
 * dashboard reconnects with backoff, so each Origin is logged once per interval, with how many
 * refusals were not logged since.
 */
export function createRefusedOriginWarnings(options: RefusedOriginWarningsOptions) {
  const intervalMs = options.intervalMs ?? 60_000;
  const maxPerInterval = options.maxPerInterval ?? 10;
  const now = options.now ?? Date.now;
  const lastLogged = new Map<string, { at: number; suppressed: number }>();
  let windowStart = 0;
  let loggedInWindow = 0;

  return (rawOrigin: string) => {
    // The header is the client's to choose: keep the log line and the map key bounded.
    const origin = rawOrigin.slice(0, 200);
    const at = now();
    const entry = lastLogged.get(origin);
    if (at - windowStart >= intervalMs) {
      windowStart = at;
      loggedInWindow = 0;
      // Forget Origins last logged before this window (this one's count is already read): the map
      // stays as small as the log.
      for (const [key, old] of lastLogged) if (at - old.at >= intervalMs) lastLogged.delete(key);
    }
    if ((entry && at - entry.at < intervalMs) || loggedInWindow >= maxPerInterval) {
      if (entry) entry.suppressed += 1;
      return;
    }
    loggedInWindow += 1;
    const suppressedSinceLast = entry?.suppressed ?? 0;
    lastLogged.set(origin, { at, suppressed: 0 });
    options.logger.warn(
      { origin, publicUrl: options.publicUrl, allowedOrigins: options.allowedOrigins, suppressedSinceLast },
      `refused a WebSocket from Origin ${origin}: only PUBLIC_URL (${options.publicUrl}) and CORS_ORIGINS may open ` +
        'the live feed. If browsers reach the gateway at that address, set PUBLIC_URL to it (or add it to CORS_ORIGINS).',
    );
  };
}
