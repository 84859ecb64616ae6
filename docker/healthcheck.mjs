#!/usr/bin/env node
// biome-ignore-all lint/suspicious/noUndeclaredEnvVars: read inside the container at run time, not by a turbo task
// Container health check: GET /health/live (default) or /health/ready on this container's own
// port (PORT for the gateway, WORKER_PORT for the worker). Exit 0 when it answers 200.
const probe = process.argv[2] === 'ready' ? 'ready' : 'live';
const worker = process.env.AGENTBOT_APP === 'worker';
const port = worker ? (process.env.WORKER_PORT ?? '8081') : (process.env.PORT ?? '8080');
try {
  const response = await fetch(`http://127.0.0.1:${port}/health/${probe}`, { signal: AbortSignal.timeout(4000) });
  if (response.status !== 200) {
    console.error(`health/${probe}: ${response.status} ${await response.text()}`);
    process.exit(1);
  }
} catch (error) {
  console.error(`health/${probe}: ${error.message}`);
  process.exit(1);
}
