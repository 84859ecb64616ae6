const LOCAL_HOSTS = new Set(['localhost', '127.0.0.1', '::1', '[::1]', '0.0.0.0']);

/**
 * How to get the Redis that REDIS_URL names running, using its own host and port: a hint that
 * said `--port 6379` for a REDIS_URL on another port started a server the process still could not
 * reach. A local start command only where one can help (this machine, plain TCP).
 */
export function redisStartHint(url: string): string {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return 'Set REDIS_URL to a redis:// URL of a running server.';
  }
  const host = parsed.hostname;
  const port = parsed.port || '6379';
  if (LOCAL_HOSTS.has(host) && parsed.protocol === 'redis:') {
    return `Start it (redis-server --daemonize yes --port ${port}) or point REDIS_URL at a running server.`;
  }
  if (host === 'redis') {
    // The compose service name: only resolvable inside docker-compose.yml's network.
    return 'Start it (docker compose up -d redis) or point REDIS_URL at a running server.';
  }
  return `Check that Redis runs on ${host} port ${port} and that this machine can reach it, or point REDIS_URL at a running server.`;
}
